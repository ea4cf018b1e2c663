// After a model switch, embeds every enrolled sample that lacks the active model's embedding, from
// its stored aligned face, one at a time. Each embedding is saved as it is made, so closing the tab
// loses nothing: the next start picks up the samples still missing.
import { useEffect, useState } from 'react';
import type { VisageStore } from '../../storage/visage-store.ts';
import type { VisionClient } from '../../worker/vision-client.ts';

export function useReembedding(store: VisageStore | null, client: VisionClient | null, missing: number): { done: number; total: number } | null {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  useEffect(() => {
    if (!store || !client || missing === 0) return;
    let cancelled = false;
    void (async () => {
      const modelId = client.info.modelId;
      const todo = await store.samplesMissing(modelId);
      for (const [i, sample] of todo.entries()) {
        if (cancelled) return;
        setProgress({ done: i, total: todo.length });
        try {
          const e = await client.embedThumbnail(sample.thumbnail);
          await store.putEmbedding({ sampleId: sample.id, personId: sample.personId, modelId, vector: e.vector });
        } catch (err) {
          console.error(`Could not re-embed sample ${sample.id}`, err);
        }
      }
      if (!cancelled) setProgress(null);
    })();
    return () => {
      cancelled = true;
    };
  }, [store, client, missing]);
  return progress;
}
