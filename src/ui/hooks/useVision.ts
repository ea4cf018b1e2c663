// Starts the vision client for the chosen model and exposes its loading progress, readiness or error.
import { useEffect, useState } from 'react';
import type { VisionClient } from '../../worker/vision-client.ts';
import type { EmbedderId } from '../../domain/embedder-specs.ts';
import type { BackendName } from '../../domain/backend-choice.ts';
import type { LoadProgress } from '../../domain/load-progress.ts';
import { errorMessage } from '../error-message.ts';
import { closeOthers, settle, sharedClient } from '../vision-clients.ts';

export type VisionState =
  | { kind: 'loading'; progress: LoadProgress | null }
  | { kind: 'ready'; client: VisionClient }
  | { kind: 'failed'; message: string }
  /** Inference started, then died more often than it may be restarted: only a reload helps. */
  | { kind: 'stopped'; message: string };

export function useVision(modelId: EmbedderId | null, backend?: BackendName): VisionState {
  const [state, setState] = useState<VisionState>({ kind: 'loading', progress: null });
  useEffect(() => {
    if (!modelId) return;
    let cancelled = false;
    settle(modelId, backend);
    const { client, listeners } = sharedClient(modelId, backend);
    const onProgress = (progress: LoadProgress) => {
      if (!cancelled) setState({ kind: 'loading', progress });
    };
    listeners.add(onProgress);
    let offStopped = () => undefined as unknown;
    client.then(
      (c) => {
        if (cancelled) return;
        setState({ kind: 'ready', client: c });
        closeOthers(`${modelId}/${backend ?? 'auto'}`);
        offStopped = c.onStopped((e) => !cancelled && setState({ kind: 'stopped', message: errorMessage(e) }));
      },
      (e: unknown) => !cancelled && setState({ kind: 'failed', message: errorMessage(e) }),
    );
    return () => {
      cancelled = true;
      listeners.delete(onProgress);
      offStopped();
    };
  }, [modelId, backend]);
  return state;
}
