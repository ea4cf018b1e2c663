// The soak's model switch: grows a gallery enrolled from the camera to N samples in the page's IndexedDB
// (clones of the real stored faces, so every re-embedding decodes and embeds a real aligned face), clears
// the model choice as the old version left it, and counts the stored-face embed requests the page sends
// to the inference worker.
import type { Page } from 'playwright-core';

/** An init script: wraps Worker.postMessage to count `embed-stored` requests since the page loaded. */
export const COUNT_EMBED_REQUESTS = `(() => {
  const send = Worker.prototype.postMessage;
  globalThis.__visageEmbedRequests = 0;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message && message.kind === 'embed-stored') globalThis.__visageEmbedRequests += 1;
    return send.call(this, message, ...rest);
  };
})();`;

export function embedRequests(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as { __visageEmbedRequests: number }).__visageEmbedRequests);
}

/**
 * Clones the stored samples (with their `modelId` embeddings) until there are `total`, all of the same
 * people, and stores the model choice as never made. Returns the number of samples now stored.
 */
export async function cloneSamples(page: Page, modelId: string, total: number): Promise<number> {
  return page.evaluate(async ({ modelId, total }) => {
    const db = await new Promise<IDBDatabase>((done, fail) => {
      const open = indexedDB.open('visage');
      open.onsuccess = () => done(open.result);
      open.onerror = () => fail(open.error ?? new Error('open failed'));
    });
    const all = <T>(store: string) => new Promise<T[]>((done) => {
      const req = db.transaction(store).objectStore(store).getAll();
      req.onsuccess = () => done(req.result as T[]);
    });
    type Sample = { id: string; personId: string; createdAt: number };
    type Row = { sampleId: string; personId: string; modelId: string; vector: Float32Array };
    const samples = await all<Sample>('samples');
    const vectors = new Map((await all<Row>('embeddings')).filter((e) => e.modelId === modelId).map((e) => [e.sampleId, e]));
    const originals = samples.filter((s) => vectors.has(s.id));
    if (originals.length === 0) throw new Error(`No sample has a ${modelId} embedding to clone`);
    const tx = db.transaction(['samples', 'embeddings', 'settings'], 'readwrite');
    for (let i = samples.length; i < total; i++) {
      const from = originals[i % originals.length] as Sample;
      const id = `${from.id}-clone-${i}`;
      tx.objectStore('samples').put({ ...from, id, createdAt: from.createdAt + i });
      tx.objectStore('embeddings').put({ ...(vectors.get(from.id) as Row), sampleId: id });
    }
    const settings = tx.objectStore('settings');
    const get = settings.get('settings');
    get.onsuccess = () => settings.put({ ...(get.result as object), modelId: null });
    await new Promise((done, fail) => {
      tx.oncomplete = done;
      tx.onerror = () => fail(tx.error ?? new Error('clone failed'));
    });
    db.close();
    return Math.max(total, samples.length);
  }, { modelId, total });
}
