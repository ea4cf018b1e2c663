// Registers the service worker and tells the page when it can work offline and when a new version
// waits. A new version never takes over by itself: only applyUpdate() (the user's click) does.
/// <reference types="vite-plugin-pwa/vanillajs" />
import { registerSW } from 'virtual:pwa-register';

export interface AppUpdateState {
  /** A new version is installed and waiting for the user's go-ahead. */
  updateWaiting: boolean;
  /** The shell is cached: the app starts without a network. */
  offlineReady: boolean;
  /** The service worker could not register (private mode, an unsupported browser…); the app still runs. */
  problem: string | null;
}

/** How often an open page asks the server for a new version (also on every return to the tab). */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

let state: AppUpdateState = { updateWaiting: false, offlineReady: false, problem: null };
const listeners = new Set<() => void>();
let update: ((reload?: boolean) => Promise<void>) | null = null;

function set(patch: Partial<AppUpdateState>): void {
  state = { ...state, ...patch };
  for (const listener of listeners) listener();
}

/** Starts once per page; later calls do nothing. */
export function startServiceWorker(): void {
  if (update || !('serviceWorker' in navigator)) return;
  update = registerSW({
    onNeedReload: reloadOnce,
    onNeedRefresh: () => set({ updateWaiting: true }),
    onOfflineReady: () => set({ offlineReady: true }),
    onRegisteredSW: (_url, registration) => {
      if (!registration) return;
      if (registration.active) set({ offlineReady: true });
      const check = () => void registration.update().catch(() => undefined);
      setInterval(check, UPDATE_CHECK_MS);
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') check();
      });
    },
    onRegisterError: (e: unknown) => set({ problem: e instanceof Error ? e.message : String(e) }),
  });
}

let reloading = false;
function reloadOnce(): void {
  if (reloading) return;
  reloading = true;
  window.location.reload();
}

/**
 * Lets the waiting version take over and reloads into it once it controls the page. We listen for
 * controllerchange ourselves: workbox-window only reloads pages that were already controlled when they
 * registered, not a first-visit tab that stayed open until the update.
 */
export async function applyUpdate(): Promise<void> {
  navigator.serviceWorker.addEventListener('controllerchange', reloadOnce, { once: true });
  await update?.(true);
}

export function subscribeAppUpdate(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function appUpdateState(): AppUpdateState {
  return state;
}
