// The service worker: precaches the app shell, keeps the models verified per manifest version, starts
// offline straight into the app, and waits for the user before a new version takes over.
/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, matchPrecache, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { hexOf, modelCachePlan, modelPathOf, staleModelCaches, type ModelCachePlan } from './model-cache.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

// The shell (HTML, JS, CSS, icons, web manifest and models/manifest.json), versioned by Workbox's revisions.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Any navigation inside the scope opens the app, online or not.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

const modelsBase = new URL('models/', self.registration.scope).href;
let plan: ModelCachePlan | null = null;

/**
 * The model manifest of this service worker's own version, from its precache (never the network).
 * Null until the precache is filled, i.e. during install: callers then fall back to the network.
 */
async function currentPlan(): Promise<ModelCachePlan | null> {
  if (plan) return plan;
  const response = await matchPrecache('models/manifest.json');
  plan = response ? modelCachePlan(await response.json()) : null;
  return plan;
}

async function sha256Of(response: Response): Promise<string> {
  return hexOf(await crypto.subtle.digest('SHA-256', await response.clone().arrayBuffer()));
}

/** Fetches one model file and keeps it only if its bytes are the ones the manifest pins. */
async function fetchAndKeep(cache: Cache, request: Request | string, expected: string): Promise<Response> {
  const response = await fetch(request);
  if (response.ok && (await sha256Of(response)) === expected) await cache.put(request, response.clone());
  // A wrong file is passed on uncached: the app's loader names it and its expected hash.
  return response;
}

// Cache-first for model files and wasm: megabytes that change only with the manifest.
registerRoute(
  ({ url }) => modelPathOf(url.href, modelsBase) !== null,
  async ({ request, url }) => {
    const path = modelPathOf(url.href, modelsBase);
    const current = await currentPlan().catch(() => null);
    const expected = path === null ? undefined : current?.sha256ByPath.get(path);
    if (!current || !expected) return fetch(request);
    const cache = await caches.open(current.cacheName);
    return (await cache.match(request, { ignoreSearch: true })) ?? fetchAndKeep(cache, request, expected);
  },
);

/**
 * Fetches ahead what every start needs, so the first offline start works. Best effort: a file that fails
 * here is cached on first use instead. Runs on activate, once the precache (and so the manifest) is there;
 * on a first visit the files usually come back from the HTTP cache as 304s.
 */
async function cacheCoreModels(current: ModelCachePlan): Promise<void> {
  const cache = await caches.open(current.cacheName);
  await Promise.all(current.corePaths.map(async (path) => {
    const url = new URL(path, modelsBase).href;
    const expected = current.sha256ByPath.get(path);
    if (!expected || (await cache.match(url))) return;
    await fetchAndKeep(cache, url, expected).catch(() => undefined);
  }));
}

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const current = await currentPlan().catch(() => null);
    if (current) {
      await Promise.all(staleModelCaches(await caches.keys(), current.cacheName).map((name) => caches.delete(name)));
      await cacheCoreModels(current);
    }
    // The first install controls the open page at once, so it is offline-ready without a reload.
    await self.clients.claim();
  })());
});

// The page asks (after the user clicked "Reload") before a waiting version takes over.
self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if (isSkipWaiting(event.data)) void self.skipWaiting();
});

function isSkipWaiting(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING';
}
