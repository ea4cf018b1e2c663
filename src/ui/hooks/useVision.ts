// Starts the vision client for the chosen model and exposes its loading progress, readiness or error.
import { useEffect, useState } from 'react';
import { BUILD_ID } from '../build-info.ts';
import { VisionClient, type BackendName, type EmbedderId, type LoadProgress } from '../../worker/vision-client.ts';

export type VisionState =
  | { kind: 'loading'; progress: LoadProgress | null }
  | { kind: 'ready'; client: VisionClient }
  | { kind: 'failed'; message: string };

/** Models live under the page's own base, so the app works from any static host and sub-path. */
export function modelsUrl(): string {
  return new URL('models/', document.baseURI).href;
}

interface Shared {
  client: Promise<VisionClient>;
  listeners: Set<(p: LoadProgress) => void>;
}

// One client per model and backend, however many components (or StrictMode's double effects) ask:
// the models are megabytes and must be downloaded, verified and compiled once.
const shared = new Map<string, Shared>();

function sharedClient(modelId: EmbedderId, backend: BackendName | undefined): Shared {
  const key = `${modelId}/${backend ?? 'auto'}`;
  let entry = shared.get(key);
  if (!entry) {
    const listeners = new Set<(p: LoadProgress) => void>();
    const client = VisionClient.start(modelsUrl(), modelId, (p) => {
      for (const listener of listeners) listener(p);
    }, { build: BUILD_ID, ...(backend ? { backend } : {}) });
    entry = { client, listeners };
    shared.set(key, entry);
  }
  return entry;
}

export function useVision(modelId: EmbedderId | null, backend?: BackendName): VisionState {
  const [state, setState] = useState<VisionState>({ kind: 'loading', progress: null });
  useEffect(() => {
    if (!modelId) return;
    let cancelled = false;
    const { client, listeners } = sharedClient(modelId, backend);
    const onProgress = (progress: LoadProgress) => {
      if (!cancelled) setState({ kind: 'loading', progress });
    };
    listeners.add(onProgress);
    client.then(
      (c) => !cancelled && setState({ kind: 'ready', client: c }),
      (e: unknown) => !cancelled && setState({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      cancelled = true;
      listeners.delete(onProgress);
    };
  }, [modelId, backend]);
  return state;
}
