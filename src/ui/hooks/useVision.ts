// Starts the vision client once per page and exposes its loading progress, readiness or error.
import { useEffect, useState } from 'react';
import { VisionClient, type LoadProgress } from '../../worker/vision-client.ts';

export type VisionState =
  | { kind: 'loading'; progress: LoadProgress | null }
  | { kind: 'ready'; client: VisionClient }
  | { kind: 'failed'; message: string };

/** Models live under the page's own base, so the app works from any static host and sub-path. */
export function modelsUrl(): string {
  return new URL('models/', document.baseURI).href;
}

// One client per page, however many components (or StrictMode's double effects) ask for it:
// the models are tens of megabytes and must be downloaded and compiled once.
let shared: { client: Promise<VisionClient>; listeners: Set<(p: LoadProgress) => void> } | null = null;

function sharedClient(): NonNullable<typeof shared> {
  if (!shared) {
    const listeners = new Set<(p: LoadProgress) => void>();
    const client = VisionClient.start(modelsUrl(), (p) => {
      for (const listener of listeners) listener(p);
    });
    shared = { client, listeners };
  }
  return shared;
}

export function useVision(): VisionState {
  const [state, setState] = useState<VisionState>({ kind: 'loading', progress: null });
  useEffect(() => {
    let cancelled = false;
    const { client, listeners } = sharedClient();
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
  }, []);
  return state;
}
