// Keeps every enrolled sample embedded with the target model (reembed.ts: keepEmbedded), one run per
// (store, client, model), while the page shows its progress.
import { useEffect, useState } from 'react';
import type { VisageStore } from '../../storage/visage-store.ts';
import type { VisionClient } from '../../worker/vision-client.ts';
import type { EmbedderId } from '../../domain/embedder-specs.ts';
import { keepEmbedded, type ReembedProgress } from '../reembed.ts';

export function useReembedding(store: VisageStore | null, client: VisionClient | null, modelId: EmbedderId | null): ReembedProgress | null {
  const [progress, setProgress] = useState<ReembedProgress | null>(null);
  useEffect(() => {
    if (!store || !client || !modelId) return;
    const run = keepEmbedded(store, modelId, (blob) => client.embedThumbnail(blob, modelId), setProgress);
    return () => run.stop();
  }, [store, client, modelId]);
  return progress;
}
