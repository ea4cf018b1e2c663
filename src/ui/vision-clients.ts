// The page's vision clients, one per model and backend, and the prestart from the last session's choice.
// No React here: the page's entry script imports this alone, so the inference worker starts before the
// UI's code (React and every screen) has been read.
import { BUILD_ID } from './build-info.ts';
import { VisionClient } from '../worker/vision-client.ts';
import { DEFAULT_EMBEDDER, EMBEDDERS, type EmbedderId } from '../domain/embedder-specs.ts';
import type { BackendName } from '../domain/backend-choice.ts';
import type { LoadProgress } from '../domain/load-progress.ts';
import { markStartup } from './startup-marks.ts';

/** Models live under the page's own base, so the app works from any static host and sub-path. */
function modelsUrl(): string {
  return new URL('models/', document.baseURI).href;
}

interface Shared {
  client: Promise<VisionClient>;
  listeners: Set<(p: LoadProgress) => void>;
}

// One client per model and backend, however many components (or StrictMode's double effects) ask:
// the models are megabytes and must be downloaded, verified and compiled once.
const shared = new Map<string, Shared>();

export function sharedClient(modelId: EmbedderId, backend: BackendName | undefined): Shared {
  const key = `${modelId}/${backend ?? 'auto'}`;
  let entry = shared.get(key);
  if (!entry) {
    const listeners = new Set<(p: LoadProgress) => void>();
    markStartup('vision-start');
    const client = VisionClient.start(modelsUrl(), modelId, (p) => {
      for (const listener of listeners) listener(p);
    }, { build: BUILD_ID, ...(backend ? { backend } : {}) });
    // The engine's own steps (ms on the worker's clock, from its creation) ride along for the benchmark.
    void client.then((c) => markStartup('vision-ready', c.info.startupMs), () => undefined);
    entry = { client, listeners };
    shared.set(key, entry);
  }
  return entry;
}

/** What the last session ran, so the next start can begin before the database has said. */
const LAST_KEY = 'visage.last-vision';

/**
 * Starts the models the last session used as soon as the page script runs, before React and the database
 * are up (~0.4 s sooner here). If the settings then ask for something else, that client starts and
 * this one is closed. Resolves once those models are ready, rejects if they fail.
 */
export function prestartVision(): Promise<VisionClient> {
  let last: { modelId?: EmbedderId; backend?: BackendName } = {};
  try {
    last = JSON.parse(localStorage.getItem(LAST_KEY) ?? '{}') as typeof last;
  } catch {
    // Nothing remembered: the default model.
  }
  const modelId = last.modelId && last.modelId in EMBEDDERS ? last.modelId : DEFAULT_EMBEDDER;
  prestarted = `${modelId}/${last.backend ?? 'auto'}`;
  return sharedClient(modelId, last.backend).client;
}

let prestarted: string | null = null;

/** The settings have spoken: remember them for the next start, and close a prestarted client they do not use. */
export function settle(modelId: EmbedderId, backend: BackendName | undefined): void {
  const key = `${modelId}/${backend ?? 'auto'}`;
  try {
    localStorage.setItem(LAST_KEY, JSON.stringify({ modelId, backend }));
  } catch {
    // Not remembered: the next start waits for the database, nothing worse.
  }
  if (prestarted && prestarted !== key) {
    const unused = shared.get(prestarted);
    shared.delete(prestarted);
    void unused?.client.then((c) => c.close(), () => undefined);
  }
  prestarted = null;
}

/** A model or backend switch is done: the clients of the earlier choices free their workers and memory. */
export function closeOthers(key: string): void {
  for (const [other, entry] of shared) {
    if (other === key) continue;
    shared.delete(other);
    void entry.client.then((c) => c.close(), () => undefined);
  }
}
