// A re-embedding interrupted halfway resumes and ends with every sample on the new model.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeEmbedding } from '../../../src/domain/embedding.ts';
import { GALLERY_TOPICS, VisageStore } from '../../../src/storage/visage-store.ts';
import { keepEmbedded, reembedMissing, type ReembedProgress } from '../../../src/ui/reembed.ts';

const quality = { faceCount: 1, faceSize: 180, yawDeg: 0, pitchDeg: 0, sharpness: 100, detectorScore: 0.9 };
let store: VisageStore;
afterEach(() => store.close());

async function seed(samples: number): Promise<void> {
  store = await VisageStore.open(undefined, `reembed-${Math.random()}`);
  await store.enroll({
    person: { id: 'ada', name: 'Ada', createdAt: 1, updatedAt: 1 },
    samples: Array.from({ length: samples }, (_, i) => ({
      sample: { id: `s${i}`, personId: 'ada', thumbnail: new Blob([String(i)]), quality, createdAt: i },
      embedding: { sampleId: `s${i}`, personId: 'ada', modelId: 'dlib-resnet', vector: makeEmbedding('dlib-resnet', [1, i + 1]).vector },
    })),
  });
}

/** A stand-in embedder: the thumbnail's text decides the vector, so results are checkable. */
const embedFaceres = async (blob: Blob) => makeEmbedding('faceres', [Number(await blob.text()) + 1, 1, 0]);

describe('re-embedding after a model switch', () => {
  it('resumes after an interruption and finishes with every sample embedded once', async () => {
    await seed(6);
    const abort = new AbortController();
    let calls = 0;
    const first = await reembedMissing(store, 'faceres', async (b) => {
      if (++calls === 3) abort.abort(); // the tab closes during the third sample
      return embedFaceres(b);
    }, { signal: abort.signal });
    expect(first.embedded).toBe(3);
    expect(await store.samplesMissing('faceres')).toHaveLength(3);

    const seen: number[] = [];
    const second = await reembedMissing(store, 'faceres', embedFaceres, { onProgress: (p) => seen.push(p.done) });
    expect(second).toEqual({ embedded: 3, failed: 0 });
    expect(seen.at(-1)).toBe(3);
    expect(await store.samplesMissing('faceres')).toEqual([]);
    const { rows } = await store.embeddingsOf('faceres', 3);
    expect(rows.map((r) => r.sampleId).sort()).toEqual(['s0', 's1', 's2', 's3', 's4', 's5']);
    // The old model's embeddings are untouched: switching back costs nothing.
    expect((await store.embeddingsOf('dlib-resnet', 2)).rows).toHaveLength(6);
  });

  it('skips a sample that cannot be embedded and leaves it on the work list', async () => {
    await seed(3);
    const r = await reembedMissing(store, 'faceres', async (b) => {
      if ((await b.text()) === '1') throw new Error('unreadable thumbnail');
      return embedFaceres(b);
    });
    expect(r).toEqual({ embedded: 2, failed: 1 });
    expect((await store.samplesMissing('faceres')).map((s) => s.id)).toEqual(['s1']);
  });

  it('never leaves an embedding for a sample deleted meanwhile', async () => {
    await seed(2);
    await reembedMissing(store, 'faceres', async (b) => {
      await store.deleteSample('s1');
      return embedFaceres(b);
    });
    const { rows } = await store.embeddingsOf('faceres', 3);
    expect(rows.map((r) => r.sampleId)).toEqual(['s0']);
  });
});

describe('keeping every sample embedded for the new model', () => {
  it('makes exactly one embed call per sample, progress only counting up, and one gallery rebuild', async () => {
    await seed(200);
    let calls = 0;
    let rebuilds = 0;
    store.onChange(() => rebuilds++, GALLERY_TOPICS);
    const seen: (ReembedProgress | null)[] = [];
    const run = keepEmbedded(store, 'faceres', (b) => {
      calls++;
      return embedFaceres(b);
    }, (p) => seen.push(p));
    await vi.waitFor(async () => expect(await store.samplesMissing('faceres')).toEqual([]), { timeout: 30_000 });
    await vi.waitFor(() => expect(seen.at(-1)).toBeNull());
    run.stop();
    expect(calls).toBe(200);
    expect(rebuilds).toBe(1);
    const done = seen.filter((p): p is ReembedProgress => p !== null).map((p) => p.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(new Set(seen.filter((p) => p).map((p) => p?.total))).toEqual(new Set([200]));
  });

  it('embeds a sample enrolled while it runs, in a run after this one, never twice', async () => {
    await seed(5);
    const embedded: string[] = [];
    let added = false;
    const run = keepEmbedded(store, 'faceres', async (b) => {
      embedded.push(await b.text());
      if (!added) {
        added = true;
        await store.enroll({
          person: { id: 'bo', name: 'Bo', createdAt: 2, updatedAt: 2 },
          samples: [{
            sample: { id: 'late', personId: 'bo', thumbnail: new Blob(['9']), quality, createdAt: 9 },
            embedding: { sampleId: 'late', personId: 'bo', modelId: 'dlib-resnet', vector: makeEmbedding('dlib-resnet', [1, 9]).vector },
          }],
        });
      }
      return embedFaceres(b);
    }, () => undefined);
    await vi.waitFor(async () => expect(await store.samplesMissing('faceres')).toEqual([]), { timeout: 30_000 });
    run.stop();
    expect(embedded.sort()).toEqual(['0', '1', '2', '3', '4', '9']);
  });
});
