// Export and import: a byte-identical round trip, merge and replace, and every hostile file refused with
// a message before anything is written.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { makeEmbedding } from '../../../src/domain/embedding.ts';
import { backupOf, readBackup, type DatabaseRows } from '../../../src/storage/backup.ts';
import { floatsToBase64, toBase64, type BackupFile } from '../../../src/storage/backup-format.ts';
import { StorageFullError, VisageStore } from '../../../src/storage/visage-store.ts';
import { diskFullAtPut } from '../support/full-disk.ts';
import { sealBackup } from '../../../src/storage/sealed-backup.ts';

const MODELS = { 'dlib-resnet': 3, faceres: 4 };
let n = 0;
const opened: VisageStore[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});
async function fresh(): Promise<VisageStore> {
  const s = await VisageStore.open(undefined, `backup-test-${++n}`);
  opened.push(s);
  return s;
}

const jpeg = (seed: number) => new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, seed, 1, 2, 3, 0xff, 0xd9])], { type: 'image/jpeg' });
const quality = { faceCount: 1, faceSize: 180, yawDeg: 2, pitchDeg: -3, sharpness: 120, detectorScore: 0.93 };

/** Ada (2 samples, two models), Bob (1 sample), settings, a head and sightings. */
async function filled(): Promise<VisageStore> {
  const store = await fresh();
  const enroll = async (id: string, name: string, samples: number[][]) => store.enroll({
    person: { id, name, createdAt: 1000, updatedAt: 1000 },
    samples: samples.map((v, i) => ({
      sample: { id: `${id}-s${i}`, personId: id, thumbnail: jpeg(i), quality, createdAt: 2000 + i },
      embedding: { sampleId: `${id}-s${i}`, personId: id, modelId: 'dlib-resnet', vector: makeEmbedding('dlib-resnet', v).vector },
    })),
  });
  await enroll('ada', 'Ada', [[1, 0.1, 0.2], [0.9, 0.2, 0.1]]);
  await enroll('bob', 'Bob', [[0.1, 1, 0.3]]);
  await store.putEmbedding({ sampleId: 'ada-s0', personId: 'ada', modelId: 'faceres', vector: makeEmbedding('faceres', [1, 2, 3, 4]).vector });
  await store.saveSettings({ threshold: 0.3, mirror: 'off', historyDays: 7 });
  await store.saveHead({ modelId: 'dlib-resnet', dims: 3, weights: new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]), bias: new Float32Array(3), trainedAt: 5, report: { samples: 3, people: 2, folds: 2, before: {}, after: {}, kept: true } as never });
  await store.putSightings([
    { id: 'v1', personId: 'ada', firstSeen: 10, lastSeen: 20, bestDistance: 0.05, thumbnail: jpeg(9) },
    { id: 'v2', personId: null, firstSeen: 30, lastSeen: 40, bestDistance: Infinity, thumbnail: null },
  ]);
  return store;
}

async function exported(store: VisageStore): Promise<BackupFile> {
  return backupOf(await store.allRows());
}

const bytes = async (b: Blob) => Array.from(new Uint8Array(await b.arrayBuffer()));
const vectorBytes = (v: Float32Array) => Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));

async function comparable(rows: DatabaseRows) {
  const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
  return {
    people: byId(rows.people),
    samples: await Promise.all(byId(rows.samples).map(async (s) => ({ ...s, thumbnail: [s.thumbnail.type, await bytes(s.thumbnail)] }))),
    embeddings: [...rows.embeddings].sort((a, b) => `${a.sampleId}${a.modelId}`.localeCompare(`${b.sampleId}${b.modelId}`)).map((e) => ({ ...e, vector: vectorBytes(e.vector) })),
    settings: rows.settings,
    heads: rows.heads.map((h) => ({ ...h, weights: vectorBytes(h.weights), bias: vectorBytes(h.bias) })),
    sightings: await Promise.all(byId(rows.sightings).map(async (s) => ({ ...s, thumbnail: s.thumbnail ? await bytes(s.thumbnail) : null }))),
  };
}

const fileOf = (data: unknown) => new Blob([typeof data === 'string' ? data : JSON.stringify(data)], { type: 'application/json' });

describe('export → clear → import', () => {
  it('gives back the same people, byte-identical embeddings and thumbnails, the same settings, head and sightings', async () => {
    const store = await filled();
    const before = await comparable(await store.allRows());
    const file = fileOf(await exported(store));
    await store.deletePerson('ada');
    await store.deletePerson('bob');
    await store.clearSightings();
    await store.deleteHead('dlib-resnet');
    await store.saveSettings({ threshold: null, mirror: 'auto', historyDays: 30 });
    const read = await readBackup(file, MODELS);
    if (!read.ok) throw new Error(read.message);
    await store.importRows(read.rows, 'replace');
    expect(await comparable(await store.allRows())).toEqual(before);
  });

  it('reads a file from before the anti-spoofing and head-turn settings existed with their defaults, and keeps the rest', async () => {
    const file = await exported(await filled());
    const { spoofEnroll: _a, spoofLive: _b, headTurnChallenge: _c, ...older } = file.settings;
    const read = await readBackup(fileOf({ ...file, settings: { ...older, spoofLive: undefined } }), MODELS);
    if (!read.ok) throw new Error(read.message);
    expect(read.rows.settings).toEqual({ key: 'settings', ...older, spoofEnroll: true, spoofLive: false, headTurnChallenge: false });
  });

  it('merges by person id: new people are added, a local person with the same id is kept and reported', async () => {
    const source = await filled();
    const file = await exported(source);
    const target = await fresh();
    await target.enroll({ person: { id: 'ada', name: 'Ada Lovelace', createdAt: 1, updatedAt: 1 }, samples: [] });
    await target.enroll({ person: { id: 'cy', name: 'Cy', createdAt: 1, updatedAt: 1 }, samples: [] });
    const read = await readBackup(fileOf(file), MODELS);
    if (!read.ok) throw new Error(read.message);
    const report = await target.importRows(read.rows, 'merge');
    expect(report).toMatchObject({ peopleAdded: 1, samplesAdded: 3 });
    expect(report.conflicts).toEqual(['"Ada" in the file is "Ada Lovelace" here: kept "Ada Lovelace"']);
    expect((await target.listPeople()).people.map((p) => p.name)).toEqual(['Ada Lovelace', 'Bob', 'Cy']);
    // Merge keeps the local settings.
    expect((await target.settings()).threshold).toBeNull();
  });

  it('replaces everything in one transaction, and a full disk half way leaves the database as it was', async () => {
    const store = await filled();
    const read = await readBackup(fileOf(await exported(store)), MODELS);
    if (!read.ok) throw new Error(read.message);
    const target = await fresh();
    await target.enroll({ person: { id: 'cy', name: 'Cy', createdAt: 1, updatedAt: 1 }, samples: [] });
    const restore = diskFullAtPut(4);
    try {
      await expect(target.importRows(read.rows, 'replace')).rejects.toBeInstanceOf(StorageFullError);
    } finally {
      restore();
    }
    expect((await target.listPeople()).people.map((p) => p.name)).toEqual(['Cy']);
    await target.importRows(read.rows, 'replace');
    expect((await target.listPeople()).people.map((p) => p.name)).toEqual(['Ada', 'Bob']);
  });

  it('keeps names with HTML, right-to-left text and emoji exactly (they are only ever shown as text)', async () => {
    const file = await exported(await filled());
    const names = ['<img src=x onerror="alert(1)"><script>alert(2)</script>', 'مرحبا \u202Eevil', '👩‍👩‍👧 Zoë'];
    file.people[0] = { ...file.people[0], name: names[0] } as BackupFile['people'][number];
    file.people[1] = { ...file.people[1], name: names[1] } as BackupFile['people'][number];
    const read = await readBackup(fileOf(file), MODELS);
    if (!read.ok) throw new Error(read.message);
    expect(read.rows.people.map((p) => p.name)).toEqual([names[0], names[1]]);
    const emoji = await exported(await filled());
    emoji.people[0] = { ...emoji.people[0], name: names[2] } as BackupFile['people'][number];
    const third = await readBackup(fileOf(emoji), MODELS);
    expect(third.ok && third.rows.people[0]?.name).toBe(names[2]);
  });
});

type Edit = (f: BackupFile) => unknown;

/** Each hostile file: what is done to a good export, and words the refusal must contain. */
const HOSTILE: [string, Edit | string, RegExp][] = [
  ['malformed JSON', '{"format": "visage-backup", "version": 1,', /not valid JSON/],
  ['an empty file', '', /is not a Visage backup/],
  ['a JPEG', '\u00ff\u00d8\u00ff\u00e0\u0000\u0010JFIF\u0000', /^The file is not a Visage backup \(those are \.json files made by Export\)\. Nothing was imported\.$/],
  ['a JSON array', '[1, 2, 3]', /not a Visage backup/],
  ['another app\'s JSON', () => ({ hello: 'world' }), /not a Visage backup/],
  ['a future version', (f) => ({ ...f, version: 2 }), /newer Visage \(format 2/],
  ['version 0', (f) => ({ ...f, version: 0 }), /unknown format version/],
  ['version as a string', (f) => ({ ...f, version: '1' }), /unknown format version/],
  ['no people list', (f) => ({ ...f, people: undefined }), /people/],
  ['a person without an id', (f) => ({ ...f, people: [{ ...f.people[0], id: undefined }, f.people[1]] }), /people\[1\]\.id/],
  ['an id of 10,000 characters', (f) => ({ ...f, people: [{ ...f.people[0], id: 'x'.repeat(10_000) }, f.people[1]] }), /people\[1\]\.id/],
  ['a negative time', (f) => ({ ...f, people: [{ ...f.people[0], createdAt: -5 }, f.people[1]] }), /createdAt/],
  ['an embedding of the wrong length', (f) => ({ ...f, embeddings: [{ ...f.embeddings[0], vector: floatsToBase64(new Float32Array([1, 0])) }, ...f.embeddings.slice(1)] }), /has 2 values; dlib-resnet has 3/],
  ['an embedding with NaN', (f) => ({ ...f, embeddings: [{ ...f.embeddings[0], vector: floatsToBase64(new Float32Array([Number.NaN, 0, 0])) }, ...f.embeddings.slice(1)] }), /NaN or Infinity/],
  ['an embedding with Infinity', (f) => ({ ...f, embeddings: [{ ...f.embeddings[0], vector: floatsToBase64(new Float32Array([Infinity, 0, 0])) }, ...f.embeddings.slice(1)] }), /NaN or Infinity/],
  ['an embedding that is not a unit vector', (f) => ({ ...f, embeddings: [{ ...f.embeddings[0], vector: floatsToBase64(new Float32Array([3, 4, 0])) }, ...f.embeddings.slice(1)] }), /not a unit vector/],
  ['an embedding that is not base64', (f) => ({ ...f, embeddings: [{ ...f.embeddings[0], vector: '<script>' }, ...f.embeddings.slice(1)] }), /not base64/],
  ['an embedding of an unknown model', (f) => ({ ...f, embeddings: [{ ...f.embeddings[0], modelId: 'facenet-2015' }, ...f.embeddings.slice(1)] }), /unknown model "facenet-2015"/],
  ['settings of an unknown model', (f) => ({ ...f, settings: { ...f.settings, modelId: 'facenet-2015' } }), /unknown model "facenet-2015"/],
  ['a threshold out of range', (f) => ({ ...f, settings: { ...f.settings, threshold: -1 } }), /threshold/],
  ['the same person id twice', (f) => ({ ...f, people: [f.people[0], { ...f.people[1], id: f.people[0]?.id }] }), /person id "ada" twice/],
  ['the same sample id twice', (f) => ({ ...f, samples: [...f.samples, f.samples[0]] }), /sample id "ada-s0" twice/],
  ['the same embedding twice', (f) => ({ ...f, embeddings: [...f.embeddings, f.embeddings[0]] }), /embedding "ada-s0 \/ dlib-resnet" twice/],
  ['a sample of nobody in the file', (f) => ({ ...f, samples: [{ ...f.samples[0], personId: 'ghost' }, ...f.samples.slice(1)] }), /not in the file/],
  ['an embedding of a sample not in the file', (f) => ({ ...f, embeddings: [{ ...f.embeddings[0], sampleId: 'ghost' }, ...f.embeddings.slice(1)] }), /sample "ghost"/],
  ['an embedding filed under the wrong person', (f) => ({ ...f, embeddings: [{ ...f.embeddings[0], personId: 'bob' }, ...f.embeddings.slice(1)] }), /not in the file/],
  ['a thumbnail that is not an image', (f) => ({ ...f, samples: [{ ...f.samples[0], thumbnail: { type: 'image/jpeg', data: toBase64(new TextEncoder().encode('<html>hi</html>')) } }, ...f.samples.slice(1)] }), /not a JPEG image/],
  ['an SVG thumbnail (it could carry script)', (f) => ({ ...f, samples: [{ ...f.samples[0], thumbnail: { type: 'image/svg+xml', data: toBase64(new TextEncoder().encode('<svg onload="alert(1)"/>')) } }, ...f.samples.slice(1)] }), /thumbnail\.type/],
  ['a 3 MB thumbnail', (f) => ({ ...f, samples: [{ ...f.samples[0], thumbnail: { type: 'image/jpeg', data: toBase64(new Uint8Array(3_000_000).fill(0xff)) } }, ...f.samples.slice(1)] }), /too big for a face picture/],
  ['a name of 10,000 characters', (f) => ({ ...f, people: [{ ...f.people[0], name: 'A'.repeat(10_000) }, f.people[1]] }), /Person 1 has an unusable name: Names are at most 200/],
  ['an empty name', (f) => ({ ...f, people: [{ ...f.people[0], name: '   ' }, f.people[1]] }), /Person 1 has an unusable name/],
  ['a name that is not text', (f) => ({ ...f, people: [{ ...f.people[0], name: { toString: 1 } }, f.people[1]] }), /people\[1\]\.name/],
  ['a personal head of the wrong size', (f) => ({ ...f, heads: [{ ...f.heads[0], weights: floatsToBase64(new Float32Array(4)) }] }), /does not fit/],
  ['a sighting of nobody in the file', (f) => ({ ...f, sightings: [{ ...f.sightings[0], personId: 'ghost' }] }), /not in the file/],
  ['a sighting that ends before it starts', (f) => ({ ...f, sightings: [{ ...f.sightings[0], firstSeen: 50, lastSeen: 10 }] }), /ends before it starts/],
];

describe('hostile import files are refused with a message, and nothing changes', () => {
  it.each(HOSTILE)('%s', async (_what, edit, message) => {
    const store = await filled();
    const good = await exported(store);
    const before = await comparable(await store.allRows());
    const text = typeof edit === 'string' ? edit : JSON.stringify(edit(structuredClone(good)));
    const read = await readBackup(fileOf(text), MODELS);
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.message).toMatch(message);
      expect(read.message).toMatch(/Nothing was imported\.$/);
    }
    expect(await comparable(await store.allRows())).toEqual(before);
  });

  it('names a photo chosen by mistake and says it is not a backup, quoting none of its bytes', async () => {
    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46])], 'IMG_0042.jpg', { type: 'image/jpeg' });
    const read = await readBackup(photo, MODELS);
    expect(read).toEqual({ ok: false, message: 'IMG_0042.jpg is not a Visage backup (those are .json files made by Export). Nothing was imported.' });
  });

  it('refuses a 500 MB file by its size, without reading it', async () => {
    const huge = { size: 500 * 1024 * 1024, text: () => Promise.reject(new Error('must not be read')) } as unknown as Blob;
    const read = await readBackup(huge, MODELS);
    expect(read).toEqual({ ok: false, message: expect.stringMatching(/524 MB; a Visage backup is at most 200 MB/) as unknown });
  });

  it('does not let "__proto__" keys reach any object', async () => {
    const good = await exported(await filled());
    const text = JSON.stringify(good).replace('"people":[', '"__proto__":{"polluted":true},"people":[');
    const read = await readBackup(fileOf(text), MODELS);
    expect(read.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('encrypted backups', () => {
  it('round-trips through a passphrase-sealed file into an encrypted database, byte-identical', async () => {
    const store = await filled();
    const before = await comparable(await store.allRows());
    const sealed = await sealBackup(JSON.stringify(await exported(store)), 'family album 2026', 100_000);
    // Nothing readable: no name outside the ciphertext, and its bytes hold neither the names nor a picture.
    const envelope = JSON.parse(sealed) as { data: string };
    expect(JSON.stringify({ ...envelope, data: '' })).not.toContain('Ada');
    const cipherBytes = Buffer.from(envelope.data, 'base64').toString('latin1');
    expect(cipherBytes).not.toContain('"name":"Ada"');
    expect(cipherBytes).not.toContain(toBase64(new Uint8Array(await jpeg(0).arrayBuffer())));

    const target = await fresh();
    await target.setPassphrase('another passphrase', null, undefined, 1_000);
    const asked = await readBackup(fileOf(sealed), MODELS);
    expect(asked).toMatchObject({ ok: false, needsPassphrase: true, message: 'This backup is encrypted: enter its passphrase.' });
    const wrong = await readBackup(fileOf(sealed), MODELS, 'family album 2025');
    expect(wrong).toMatchObject({ ok: false, needsPassphrase: true, message: expect.stringMatching(/^Wrong passphrase for this backup.*Nothing was imported\.$/) as unknown });
    const read = await readBackup(fileOf(sealed), MODELS, 'family album 2026');
    if (!read.ok) throw new Error(read.message);
    await target.importRows(read.rows, 'replace');
    expect(await comparable(await target.allRows())).toEqual(before);
  });

  it('refuses a sealed file whose ciphertext or envelope was changed', async () => {
    const sealed = JSON.parse(await sealBackup(JSON.stringify(await exported(await filled())), 'family album 2026', 100_000)) as { data: string; kdf: { iterations: number } };
    const flipped = { ...sealed, data: `${sealed.data[0] === 'A' ? 'B' : 'A'}${sealed.data.slice(1)}` };
    expect(await readBackup(fileOf(flipped), MODELS, 'family album 2026')).toMatchObject({ ok: false, message: expect.stringMatching(/Wrong passphrase for this backup \(or the file was changed\)/) as unknown });
    const weakened = { ...sealed, kdf: { ...sealed.kdf, iterations: 1 } };
    expect(await readBackup(fileOf(weakened), MODELS, 'family album 2026')).toMatchObject({ ok: false, message: expect.stringMatching(/damaged or of an unknown version/) as unknown });
  });
});
