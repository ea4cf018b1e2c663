// Runs the resumable re-embedding whenever the active model lacks embeddings for some samples.
import { useEffect, useState } from 'react';
import type { VisageStore } from '../../storage/visage-store.ts';
import type { VisionClient } from '../../worker/vision-client.ts';
import { reembedMissing, type ReembedProgress } from '../reembed.ts';

export function useReembedding(store: VisageStore | null, client: VisionClient | null, missing: number): ReembedProgress | null {
  const [progress, setProgress] = useState<ReembedProgress | null>(null);
  useEffect(() => {
    if (!store || !client || missing === 0) return;
    const abort = new AbortController();
    void reembedMissing(store, client.info.modelId, (blob) => client.embedThumbnail(blob), {
      signal: abort.signal,
      onProgress: (p) => !abort.signal.aborted && setProgress(p.done < p.total ? p : null),
    });
    return () => abort.abort();
  }, [store, client, missing]);
  return progress;
}
