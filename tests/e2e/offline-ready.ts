// Shared by e2e `pwa` and the bench (whose warm loads must come from the service worker, not race its install).
import type { Page } from 'playwright-core';

/** Resolves once the service worker controls the page and holds every model file this start used. */
export async function waitOfflineReady(page: Page): Promise<void> {
  await page.waitForFunction(async () => {
    if (!navigator.serviceWorker.controller) return false;
    const used = performance.getEntriesByType('resource').map((e) => e.name).filter((u) => /\/models\/.+\.(bin|wasm|json)$/.test(u) && !u.endsWith('/manifest.json'));
    const name = (await caches.keys()).find((k) => k.startsWith('visage-models-'));
    if (!name || used.length === 0) return false;
    const cache = await caches.open(name);
    const held = await Promise.all(used.map((u) => cache.match(u)));
    return held.every(Boolean);
  }, undefined, { timeout: 60_000, polling: 500 });
}
