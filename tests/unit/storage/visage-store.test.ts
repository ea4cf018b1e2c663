// The database in Node with fake-indexeddb: the upgrade ladder from a v1 database, writes, undo, and
// validation of whatever comes back out.
import 'fake-indexeddb/auto';
import { openDB, type IDBPDatabase } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeEmbedding } from '../../../src/domain/embedding.ts';
import type { Person } from '../../../src/domain/people.ts';
import { GALLERY_TOPICS, VisageStore, type Sample } from '../../../src/storage/visage-store.ts';
import type { SampleRowV1 } from '../../../src/storage/schema.ts';
import { diskFullAtPut } from '../support/full-disk.ts';

let n = 0;
const freshName = () => `visage-test-${++n}`;
const opened: VisageStore[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});
async function open(name: string, onBlocking?: () => void): Promise<VisageStore> {
  const s = await VisageStore.open(onBlocking, name);
  opened.push(s);
  return s;
}

const quality = { faceCount: 1, faceSize: 180, yawDeg: 2, pitchDeg: -3, sharpness: 120, detectorScore: 0.93 };
const thumb = () => new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });
const person = (id: string, name: string): Person => ({ id, name, createdAt: 1, updatedAt: 1 });
const sample = (id: string, personId: string): Sample => ({ id, personId, thumbnail: thumb(), quality, createdAt: Date.now() });
const vector = (...v: number[]) => makeEmbedding('dlib-resnet', v).vector;

async function enrollOne(store: VisageStore, id: string, name: string, v: Float32Array): Promise<void> {
  await store.enroll({
    person: person(id, name),
    samples: [{ sample: sample(`${id}-s1`, id), embedding: { sampleId: `${id}-s1`, personId: id, modelId: 'dlib-resnet', vector: v } }],
  });
}

describe('schema upgrade', () => {
  it('moves the inline embeddings of a version-1 database into the per-model store', async () => {
    const name = freshName();
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('people', { keyPath: 'id' });
        db.createObjectStore('samples', { keyPath: 'id' }).createIndex('byPerson', 'personId');
        db.createObjectStore('settings', { keyPath: 'key' });
      },
    });
    await v1.put('people', person('p1', 'Ada'));
    const old: SampleRowV1 = { ...sample('s1', 'p1'), modelId: 'dlib-resnet', embedding: vector(1, 2, 2) };
    await v1.put('samples', old);
    v1.close();

    const store = await open(name);
    const { rows } = await store.embeddingsOf('dlib-resnet', 3);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ sampleId: 's1', personId: 'p1', modelId: 'dlib-resnet' });
    expect(Array.from(rows[0]?.vector ?? [])).toEqual(Array.from(vector(1, 2, 2)));
    const [migrated] = await store.listSamples('p1');
    expect(migrated?.id).toBe('s1');
    expect(migrated && 'embedding' in migrated).toBe(false);
    expect((await store.listPeople()).people.map((p) => p.name)).toEqual(['Ada']);
  });
});

/** The stores an older release created, written out here as it shipped (not through today's ladder). */
function oldSchema(db: IDBPDatabase, version: 2 | 3): void {
  db.createObjectStore('people', { keyPath: 'id' });
  db.createObjectStore('samples', { keyPath: 'id' }).createIndex('byPerson', 'personId');
  db.createObjectStore('settings', { keyPath: 'key' });
  const embeddings = db.createObjectStore('embeddings', { keyPath: ['sampleId', 'modelId'] });
  embeddings.createIndex('byModel', 'modelId');
  embeddings.createIndex('bySample', 'sampleId');
  embeddings.createIndex('byPerson', 'personId');
  if (version < 3) return;
  db.createObjectStore('sightings', { keyPath: 'id' }).createIndex('byLastSeen', 'lastSeen');
  db.createObjectStore('heads', { keyPath: 'modelId' });
}

describe('schema upgrade from version 2', () => {
  it('keeps people, samples, embeddings and settings, and adds the sightings log and personal heads', async () => {
    const name = freshName();
    const v2 = await openDB(name, 2, { upgrade: (db) => oldSchema(db, 2) });
    await v2.put('people', person('p1', 'Ada'));
    await v2.put('samples', sample('s1', 'p1'));
    await v2.put('embeddings', { sampleId: 's1', personId: 'p1', modelId: 'dlib-resnet', vector: vector(1, 2, 2) });
    await v2.put('settings', { key: 'settings', modelId: 'faceres', threshold: 0.4, cameraId: null, mirror: 'on', backend: 'wasm' });
    v2.close();

    const store = await open(name);
    expect((await store.listPeople()).people.map((p) => p.name)).toEqual(['Ada']);
    expect((await store.listSamples('p1')).map((s) => s.id)).toEqual(['s1']);
    expect(Array.from((await store.embeddingsOf('dlib-resnet', 3)).rows[0]?.vector ?? [])).toEqual(Array.from(vector(1, 2, 2)));
    // Old settings kept; the new ones at their defaults (history on for 30 days, no pictures).
    expect(await store.settings()).toMatchObject({ modelId: 'faceres', threshold: 0.4, mirror: 'on', backend: 'wasm', historyEnabled: true, historyDays: 30, historyThumbnails: false });
    expect(await store.listSightings()).toEqual([]);
    expect(await store.head('dlib-resnet', 3)).toBeNull();
  });
});

describe('schema upgrade from version 3', () => {
  it('keeps everything, sightings and heads included, and starts unencrypted', async () => {
    const name = freshName();
    const v3 = await openDB(name, 3, { upgrade: (db) => oldSchema(db, 3) });
    await v3.put('people', person('p1', 'Ada'));
    await v3.put('samples', sample('s1', 'p1'));
    await v3.put('embeddings', { sampleId: 's1', personId: 'p1', modelId: 'dlib-resnet', vector: vector(1, 2, 2) });
    await v3.put('sightings', { id: 'v1', personId: 'p1', firstSeen: 5, lastSeen: 9, bestDistance: 0.1, thumbnail: thumb() });
    const head = { modelId: 'dlib-resnet', dims: 3, weights: new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]), bias: new Float32Array(3), trainedAt: 7, report: {} };
    await v3.put('heads', head);
    v3.close();

    const store = await open(name);
    expect(store.encryption()).toBe('off');
    expect((await store.listPeople()).people.map((p) => p.name)).toEqual(['Ada']);
    expect((await store.listSamples('p1')).map((s) => s.id)).toEqual(['s1']);
    expect(Array.from((await store.embeddingsOf('dlib-resnet', 3)).rows[0]?.vector ?? [])).toEqual(Array.from(vector(1, 2, 2)));
    expect((await store.listSightings()).map((s) => [s.id, s.thumbnail instanceof Blob])).toEqual([['v1', true]]);
    expect(Array.from((await store.head('dlib-resnet', 3))?.weights ?? [])).toEqual(Array.from(head.weights));
  });
});

describe('people', () => {
  it('enrolls, renames, deletes with undo, and deletes one sample with undo', async () => {
    const store = await open(freshName());
    await enrollOne(store, 'ada', 'Ada', vector(1, 0));
    await enrollOne(store, 'eve', 'Eve', vector(0, 1));
    await store.renamePerson('ada', 'Ada Lovelace');
    expect((await store.listPeople()).people.map((p) => p.name)).toEqual(['Ada Lovelace', 'Eve']);

    const removed = await store.deletePerson('ada');
    expect(removed?.samples).toHaveLength(1);
    expect((await store.listPeople()).people.map((p) => p.id)).toEqual(['eve']);
    expect((await store.embeddingsOf('dlib-resnet', 2)).rows.map((r) => r.personId)).toEqual(['eve']);
    if (removed) await store.restorePerson(removed);
    expect((await store.embeddingsOf('dlib-resnet', 2)).rows).toHaveLength(2);

    const gone = await store.deleteSample('eve-s1');
    expect(await store.listSamples('eve')).toEqual([]);
    expect((await store.embeddingsOf('dlib-resnet', 2)).rows.map((r) => r.personId)).toEqual(['ada']);
    if (gone) await store.restoreSample(gone);
    expect(await store.listSamples('eve')).toHaveLength(1);
  });

  it('saves nothing of an enrollment when the disk fills up half way, and says so', async () => {
    const store = await open(freshName());
    const restore = diskFullAtPut(3);
    try {
      await expect(enrollOne(store, 'ada', 'Ada', vector(1, 0))).rejects.toThrow(/storage for this site is full: nothing was saved/);
    } finally {
      restore();
    }
    expect((await store.listPeople()).people).toEqual([]);
    expect(await store.listSamples()).toEqual([]);
    expect((await store.embeddingsOf('dlib-resnet', 2)).rows).toEqual([]);
  });

  it('lists the samples a model has not embedded yet (resumable re-embedding)', async () => {
    const store = await open(freshName());
    await enrollOne(store, 'ada', 'Ada', vector(1, 0));
    expect(await store.samplesMissing('dlib-resnet')).toEqual([]);
    expect((await store.samplesMissing('faceres')).map((s) => s.id)).toEqual(['ada-s1']);
    await store.putEmbedding({ sampleId: 'ada-s1', personId: 'ada', modelId: 'faceres', vector: vector(0, 1) });
    expect(await store.samplesMissing('faceres')).toEqual([]);
  });

  it('tells other tabs (BroadcastChannel) when something changed', async () => {
    const name = freshName();
    const a = await open(name);
    const b = await open(name);
    const seen = new Promise<void>((resolve) => b.onChange(resolve));
    await enrollOne(a, 'ada', 'Ada', vector(1, 0));
    await seen;
    expect((await b.listPeople()).people).toHaveLength(1);
  });
});

describe('reads are validated', () => {
  it('skips embeddings of the wrong width, with NaN, or not unit length, and people without a name', async () => {
    const name = freshName();
    const store = await open(name);
    await enrollOne(store, 'ada', 'Ada', vector(1, 0));
    const raw = await openDB(name);
    await raw.put('embeddings', { sampleId: 'x1', personId: 'ada', modelId: 'dlib-resnet', vector: new Float32Array([Number.NaN, 0]) });
    await raw.put('embeddings', { sampleId: 'x2', personId: 'ada', modelId: 'dlib-resnet', vector: new Float32Array([1, 0, 0]) });
    await raw.put('embeddings', { sampleId: 'x3', personId: 'ada', modelId: 'dlib-resnet', vector: new Float32Array([3, 4]) });
    await raw.put('people', { id: 'bad', name: '', createdAt: 1, updatedAt: 1 });
    raw.close();
    const { rows, skipped } = await store.embeddingsOf('dlib-resnet', 2);
    expect(rows).toHaveLength(1);
    expect(skipped).toBe(3);
    expect(await store.listPeople()).toMatchObject({ skipped: 1 });
  });

  it('repairs damaged settings field by field', async () => {
    const name = freshName();
    const store = await open(name);
    const raw = await openDB(name);
    await raw.put('settings', { key: 'settings', modelId: 'faceres', threshold: -5, mirror: 'sideways', backend: 'wasm', cameraId: null });
    raw.close();
    expect(await store.settings()).toEqual({
      key: 'settings', modelId: 'faceres', threshold: null, cameraId: null, mirror: 'auto', backend: 'wasm',
      historyEnabled: true, historyDays: 30, historyThumbnails: false, headEnabled: true, spoofEnroll: true, spoofLive: false, headTurnChallenge: false,
    });
  });
});

describe('sightings', () => {
  const DAY = 86_400_000;
  const sighting = (id: string, personId: string | null, lastSeen: number) => ({ id, personId, firstSeen: lastSeen - 1000, lastSeen, bestDistance: 0.2, thumbnail: null });

  it('stores sightings newest first, keeps a stored thumbnail when an update has none, and applies the retention', async () => {
    const store = await open(freshName());
    const now = Date.now();
    const picture = new Blob([new Uint8Array([0xff, 0xd8])], { type: 'image/jpeg' });
    await store.putSightings([{ ...sighting('old', 'ada', now - 40 * DAY), thumbnail: picture }, sighting('new', null, now)]);
    await store.putSightings([{ ...sighting('old', 'ada', now - 35 * DAY) }]);
    const rows = await store.listSightings();
    expect(rows.map((r) => r.id)).toEqual(['new', 'old']);
    expect(rows[1]?.thumbnail).toBeInstanceOf(Blob);
    expect(await store.deleteSightingsBefore(now - 30 * DAY)).toBe(1);
    expect((await store.listSightings()).map((r) => r.id)).toEqual(['new']);
    await store.clearSightings();
    expect(await store.listSightings()).toEqual([]);
  });

  it("deletes a person's sightings with them, and undo brings them back", async () => {
    const store = await open(freshName());
    await enrollOne(store, 'ada', 'Ada', vector(1, 0));
    await store.putSightings([sighting('s1', 'ada', 5000), sighting('s2', null, 6000)]);
    const removed = await store.deletePerson('ada');
    expect((await store.listSightings()).map((r) => r.id)).toEqual(['s2']);
    if (removed) await store.restorePerson(removed);
    expect((await store.listSightings()).map((r) => r.id).sort()).toEqual(['s1', 's2']);
  });

  it('tells sightings listeners only about sightings, so the gallery is not rebuilt for every log write', async () => {
    const store = await open(freshName());
    const topics: string[] = [];
    store.onChange(() => topics.push('people'), 'people');
    store.onChange(() => topics.push('sightings'), 'sightings');
    await store.putSightings([sighting('s1', null, 5000)]);
    await enrollOne(store, 'ada', 'Ada', vector(1, 0));
    expect(topics).toEqual(['sightings', 'people']);
  });

  it('skips damaged sightings', async () => {
    const name = freshName();
    const store = await open(name);
    const raw = await openDB(name);
    await raw.put('sightings', { id: 'bad', personId: 3, firstSeen: 5, lastSeen: 1, bestDistance: 0.1, thumbnail: null });
    raw.close();
    expect(await store.listSightings()).toEqual([]);
  });
});

describe('personal heads', () => {
  it('stores a head per model and refuses one that does not fit the model', async () => {
    const name = freshName();
    const store = await open(name);
    const report = { samples: 2, people: 1, before: {}, after: {}, kept: true } as never;
    await store.saveHead({ modelId: 'dlib-resnet', dims: 2, weights: new Float32Array([1, 0, 0, 1]), bias: new Float32Array(2), trainedAt: 1, report });
    expect((await store.head('dlib-resnet', 2))?.weights).toEqual(new Float32Array([1, 0, 0, 1]));
    expect(await store.head('dlib-resnet', 3)).toBeNull();
    const raw = await openDB(name);
    await raw.put('heads', { modelId: 'faceres', dims: 2, weights: new Float32Array([Number.NaN, 0, 0, 1]), bias: new Float32Array(2), trainedAt: 1, report });
    raw.close();
    expect(await store.head('faceres', 2)).toBeNull();
    await store.deleteHead('dlib-resnet');
    expect(await store.head('dlib-resnet', 2)).toBeNull();
  });
});

describe('settings', () => {
  it('keeps both of two changes made at once (the second does not write back what it read before the first)', async () => {
    const store = await open(freshName());
    await Promise.all([store.saveSettings({ threshold: 0.42 }), store.saveSettings({ mirror: 'off' }), store.saveSettings({ historyDays: 7 })]);
    const row = await store.settings();
    expect(row.threshold).toBe(0.42);
    expect(row.mirror).toBe('off');
    expect(row.historyDays).toBe(7);
  });
});

describe('another tab upgrading', () => {
  it('closes this connection at once and says why', async () => {
    const name = freshName();
    let told = false;
    await open(name, () => {
      told = true;
    });
    const newer = await openDB(name, 99); // would hang forever if the old connection stayed open
    newer.close();
    expect(told).toBe(true);
  });
});

describe('change announcements', () => {
  it('a settings write is not announced to the gallery; an enrollment is', async () => {
    const store = await open(freshName());
    let gallery = 0;
    let settings = 0;
    store.onChange(() => gallery++, GALLERY_TOPICS);
    store.onChange(() => settings++, 'settings');
    await store.saveSettings({ threshold: 0.3 });
    await store.saveSettings({ mirror: 'off' });
    expect(settings).toBe(2);
    expect(gallery).toBe(0);
    await enrollOne(store, 'ada', 'Ada', vector(1, 0));
    expect(gallery).toBe(1);
  });

  it('tells another tab what changed, so its gallery ignores the settings too', async () => {
    const name = freshName();
    const a = await open(name);
    const b = await open(name);
    const topics: string[] = [];
    let gallery = 0;
    b.onChange(() => gallery++, GALLERY_TOPICS);
    b.onChange(() => topics.push('settings'), 'settings');
    await a.saveSettings({ threshold: 0.3 });
    await vi.waitFor(() => expect(topics).toEqual(['settings']));
    await enrollOne(a, 'ada', 'Ada', vector(1, 0));
    await vi.waitFor(() => expect(gallery).toBe(1));
  });

  it('counts the samples a model lacks from the keys alone', async () => {
    const store = await open(freshName());
    await enrollOne(store, 'ada', 'Ada', vector(1, 0));
    expect(await store.countMissing('dlib-resnet')).toBe(0);
    expect(await store.countMissing('arcface-mobilefacenet')).toBe(1);
  });
});

describe('merging two cards of one person', () => {
  it('moves the samples and embeddings to the one kept, in one write, and the other card goes', async () => {
    const store = await open(freshName());
    await enrollOne(store, 'ada', 'Ada', vector(1, 0));
    await enrollOne(store, 'ada2', 'Ada', vector(0.9, Math.sqrt(1 - 0.81)));
    await store.mergePeople('ada2', 'ada');
    expect((await store.listPeople()).people.map((p) => p.id)).toEqual(['ada']);
    const samples = await store.listSamples();
    expect(samples.map((s) => s.personId)).toEqual(['ada', 'ada']);
    expect((await store.embeddingsOf('dlib-resnet', 2)).rows.map((r) => r.personId)).toEqual(['ada', 'ada']);
  });
});
