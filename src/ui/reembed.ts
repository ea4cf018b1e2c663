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
  /** `announce: false`: the caller announces the new embeddings once (see VisageStore.putEmbedding). */
  options: { signal?: AbortSignal; onProgress?: (p: ReembedProgress) => void; announce?: boolean } = {},
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
    await store.putEmbedding({ sampleId: sample.id, personId: sample.personId, modelId, vector: e.vector }, options.announce ?? true);
    embedded++;
  }
  options.onProgress?.({ done: todo.length, total: todo.length });
  return { embedded, failed };
}

/**
 * Keeps every sample embedded with `modelId` until stopped: one run to the end, saved sample by sample
 * (a closed tab resumes), the new embeddings announced once when a run ends, since each announcement
 * rebuilds the gallery. Samples added meanwhile get one further run after the current one.
 */
export function keepEmbedded(
  store: VisageStore,
  modelId: string,
  embed: (thumbnail: Blob) => Promise<Embedding>,
  onProgress: (p: ReembedProgress | null) => void,
): { stop: () => void } {
  const abort = new AbortController();
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const { embedded } = await reembedMissing(store, modelId, embed, {
          signal: abort.signal,
          onProgress: (p) => !abort.signal.aborted && onProgress(p.done < p.total ? p : null),
          announce: false,
        });
        if (embedded > 0) store.announce(['embeddings']);
      } while (again && !abort.signal.aborted);
    } catch (e) {
      console.error('Re-embedding stopped', e);
    } finally {
      running = false;
      if (!abort.signal.aborted) onProgress(null);
    }
  };
  void run();
  // Only new samples can need an embedding: our own announcement at the end must not start a run.
  const off = store.onChange(() => void run(), 'samples');
  return {
    stop: () => {
      abort.abort();
      off();
    },
  };
}
