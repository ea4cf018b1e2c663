// Re-embedding after a model switch: every sample lacking the active model's embedding is embedded
// from its stored aligned face and saved at once, so an interrupted run (tab closed, abort, error)
// resumes where it stopped: the work list is always "samples still missing".
import type { Embedding } from '../domain/embedding.ts';
import type { VisageStore } from '../storage/visage-store.ts';

export interface ReembedProgress {
  done: number;
  total: number;
}

export async function reembedMissing(
  store: VisageStore,
  modelId: string,
  embed: (thumbnail: Blob) => Promise<Embedding>,
  options: { signal?: AbortSignal; onProgress?: (p: ReembedProgress) => void } = {},
): Promise<{ embedded: number; failed: number }> {
  const todo = await store.samplesMissing(modelId);
  let embedded = 0;
  let failed = 0;
  for (const [i, sample] of todo.entries()) {
    if (options.signal?.aborted) break;
    options.onProgress?.({ done: i, total: todo.length });
    let e: Embedding;
    try {
      e = await embed(sample.thumbnail);
    } catch (err) {
      // One unreadable thumbnail must not stop the others; it stays on the work list.
      console.error(`Could not re-embed sample ${sample.id}`, err);
      failed++;
      continue;
    }
    if (e.modelId !== modelId) throw new Error(`Asked for ${modelId}, got a ${e.modelId} embedding`);
    await store.putEmbedding({ sampleId: sample.id, personId: sample.personId, modelId, vector: e.vector });
    embedded++;
  }
  options.onProgress?.({ done: todo.length, total: todo.length });
  return { embedded, failed };
}
