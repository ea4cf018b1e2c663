// The installable, offline PWA in a real browser: offline start that still names people (at the root and
// under a sub-path), the update prompt between two builds, a valid web app manifest, the service worker
// in control, and a Content-Security-Policy that refuses other origins.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openProfile, openSession, type Session } from './browser.ts';
import { BUILD_IDS } from './global-setup.ts';
import { enrollFromCamera, labelsAfterSettling, named, waitRunning } from './journey.ts';
import { waitOfflineReady } from './offline-ready.ts';
import { startStaticHost, type ServedRequest, type StaticHost } from './static-host.ts';

const baseUrl = inject('baseUrl');
const builds = inject('builds');
const clips = inject('clips');
let session: Session | undefined;
let host: StaticHost | undefined;

afterEach(async () => {
  await session?.close();
  await host?.close();
  session = undefined;
  host = undefined;
});

const sum = (log: readonly ServedRequest[]) => log.reduce((n, r) => n + r.bytes, 0);
const modelFiles = (log: readonly ServedRequest[]) => log.filter((r) => r.path.includes('/models/') && !r.path.endsWith('/manifest.json'));

describe('installable offline PWA', () => {
  for (const subPath of ['/', '/visage/']) {
    it(`served at ${subPath}: after one online load it starts offline and still names an enrolled face`, async () => {
      host = await startStaticHost(builds.v1, subPath);
      session = await openSession({ clip: clips.onePerson });
      const { page, context } = session;
      await page.goto(host.url);
      await waitRunning(page);
      await enrollFromCamera(page, 'Ada');
      await labelsAfterSettling(page, named('Ada'));
      await waitOfflineReady(page);
      // On a first visit the service worker's install fetches and hashes the shell and the core models a
      // second time: it registers only once the first frame is analysed, so it does not hold up the first label.
      const [firstResult, serviceWorker] = await page.evaluate(() => ['first-result', 'service-worker'].map((m) => performance.getEntriesByName(`visage:${m}`)[0]?.startTime ?? -1));
      expect(firstResult).toBeGreaterThan(0);
      expect(serviceWorker).toBeGreaterThanOrEqual(firstResult as number);
      const cold = { bytes: sum(host.log), modelBytes: sum(modelFiles(host.log)), requests: host.log.length };

      // A warm start online: the shell and the models come from the service worker, not the server.
      const before = host.log.length;
      await page.reload();
      await waitRunning(page);
      await labelsAfterSettling(page, named('Ada'));
      const warmLog = host.log.slice(before);
      expect(modelFiles(warmLog)).toEqual([]);
      const warm = { bytes: sum(warmLog), modelBytes: 0, requests: warmLog.length };

      // No network at all (the browser offline and the server gone): the app still starts from the
      // cache and names Ada.
      await context.setOffline(true);
      await host.close();
      host = undefined;
      await page.reload();
      await waitRunning(page);
      await labelsAfterSettling(page, named('Ada'));
      expect(await page.getAttribute('[data-testid="status"]', 'data-backend')).toBe('wasm');
      expect(session.errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);

      const results = resolve(import.meta.dirname, '../../test-results');
      mkdirSync(results, { recursive: true });
      writeFileSync(resolve(results, `load-bytes${subPath.replaceAll('/', '-')}json`), JSON.stringify({ subPath, cold, warm }, null, 2));
      console.log(`load bytes at ${subPath}: cold ${cold.bytes} (models ${cold.modelBytes}, ${cold.requests} requests); warm ${warm.bytes} (models 0, ${warm.requests} requests)`);
    });
  }

  it('offers a new version without interrupting, and reloads into it on the user\'s click with people kept', async () => {
    host = await startStaticHost(builds.v1, '/');
    session = await openSession({ clip: clips.onePerson });
    const { page } = session;
    await page.goto(host.url);
    await waitRunning(page);
    expect(await page.getAttribute('[data-testid="app"]', 'data-build')).toBe(BUILD_IDS.v1);
    await enrollFromCamera(page, 'Ada');
    await waitOfflineReady(page);

    // The host now serves v2; the page checks for it (as it does hourly and on returning to the tab).
    host.serve(builds.v2);
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    await page.waitForSelector('[data-testid="update-banner"]', { timeout: 60_000 });
    // The running session goes on with v1 until the user chooses.
    expect(await page.getAttribute('[data-testid="app"]', 'data-build')).toBe(BUILD_IDS.v1);
    await labelsAfterSettling(page, named('Ada'));
    await page.click('[data-testid="update-reload"]');
    await page.waitForSelector(`[data-testid="app"][data-build="${BUILD_IDS.v2}"][data-state="running"]`, { timeout: 120_000 });
    await labelsAfterSettling(page, named('Ada'));
    await page.click('[data-testid="tab-people"]');
    await page.waitForSelector('[data-testid="person"][data-name="Ada"]');
    // One model cache remains (v1 and v2 share the same model bytes, so the same cache).
    const modelCaches = await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('visage-models-')));
    expect(modelCaches).toHaveLength(1);
  }, 300_000);

  it('has a valid web app manifest, is installable, runs under its service worker and a strict CSP', async () => {
    // A profile on disk: Chromium never offers to install from an incognito (in-memory) context.
    session = await openProfile(mkdtempSync(join(tmpdir(), 'visage-install-')), { clip: clips.onePerson });
    const { page, context } = session;
    await page.goto(baseUrl);
    await waitRunning(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });

    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    const data = JSON.parse(manifest.data ?? '{}') as {
      name?: string; short_name?: string; start_url?: string; scope?: string; display?: string; theme_color?: string;
      icons?: { src: string; sizes: string; purpose?: string }[];
    };
    expect(data.name).toContain('Visage');
    expect(data.short_name).toBe('Visage');
    expect(data.display).toBe('standalone');
    expect(data.theme_color).toMatch(/^#[0-9a-f]{6}$/);
    expect(new URL(data.start_url ?? '', manifest.url).href).toBe(baseUrl);
    expect(new URL(data.scope ?? '', manifest.url).href).toBe(baseUrl);
    const icons = data.icons ?? [];
    expect(icons.map((i) => `${i.sizes} ${i.purpose ?? 'any'}`).sort()).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
    for (const icon of icons) {
      const png = Buffer.from(await (await fetch(new URL(icon.src, manifest.url))).arrayBuffer());
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      // Width and height are the first two fields of the IHDR chunk.
      expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(icon.sizes);
    }
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    // Chromium offers installation: the Install button appears.
    await page.waitForSelector('[data-testid="install"]', { timeout: 30_000 });

    // The policy is enforced: a resource from another origin is refused before any request is made.
    const blocked = await page.evaluate(() => new Promise<string>((done) => {
      document.addEventListener('securitypolicyviolation', (e) => done(e.blockedURI), { once: true });
      const img = new Image();
      img.src = 'http://127.0.0.1:9/elsewhere.png';
      document.body.append(img);
    }));
    expect(blocked).toBe('http://127.0.0.1:9/elsewhere.png');

    // Settings reports offline readiness and the storage outcome with the space used.
    await page.click('[data-testid="tab-settings"]');
    await page.waitForSelector('[data-testid="offline-state"][data-ready="yes"]');
    const storage = await page.textContent('[data-testid="storage-state"]');
    expect(storage).toMatch(/Using [\d.]+ MB of [\d.]+ MB/);
    expect(session.errors.filter((e) => !e.includes('elsewhere.png'))).toEqual([]);
  });
});
