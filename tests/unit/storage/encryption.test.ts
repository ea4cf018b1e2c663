// Encryption at rest, in Node with fake-indexeddb and Node's WebCrypto: what lies on disk, a wrong
// passphrase, a change of passphrase interrupted half way and resumed, turning it off, and a tab whose key
// went stale.
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeEmbedding } from '../../../src/domain/embedding.ts';
import { VisageStore } from '../../../src/storage/visage-store.ts';
import { isSealedField, LockedError, seal, unseal, passphraseKey, WrongPassphraseError, PBKDF2_ITERATIONS } from '../../../src/storage/vault.ts';
import type { VisageSchema } from '../../../src/storage/schema.ts';

let n = 0;
const freshName = () => `visage-crypto-${++n}`;
const opened: VisageStore[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});
async function open(name: string): Promise<VisageStore> {
  const s = await VisageStore.open(undefined, name);
  opened.push(s);
  return s;
}

const FAST = 1_000; // PBKDF2 rounds for the tests that are not about the key derivation itself
const quality = { faceCount: 1, faceSize: 180, yawDeg: 2, pitchDeg: -3, sharpness: 120, detectorScore: 0.93 };
const jpeg = (i: number) => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, i & 255, (i >> 8) & 255, 0x42, 0x42]);
const vectorOf = (i: number) => makeEmbedding('dlib-resnet', [1 + i, 2, 3 - i, 0.5]).vector;

/** One person with `count` samples, and one sighting with a thumbnail. */
async function seedPerson(store: VisageStore, count: number): Promise<void> {
  await store.enroll({
    person: { id: 'p1', name: 'Ada', createdAt: 1, updatedAt: 1 },
    samples: Array.from({ length: count }, (_, i) => ({
      sample: { id: `s${String(i).padStart(3, '0')}`, personId: 'p1', thumbnail: new Blob([jpeg(i)], { type: 'image/jpeg' }), quality, createdAt: i },
      embedding: { sampleId: `s${String(i).padStart(3, '0')}`, personId: 'p1', modelId: 'dlib-resnet', vector: vectorOf(i) },
    })),
  });
  await store.putSightings([{ id: 'sg1', personId: 'p1', firstSeen: 10, lastSeen: 20, bestDistance: 0.05, thumbnail: new Blob([jpeg(999)], { type: 'image/jpeg' }) }]);
}

/** What is on disk, read around the app. */
async function rawRows(name: string) {
  const db = await openDB<VisageSchema>(name);
  const rows = { samples: await db.getAll('samples'), embeddings: await db.getAll('embeddings'), sightings: await db.getAll('sightings'), vault: await db.get('vault', 'vault') };
  db.close();
  return rows;
}

async function readable(store: VisageStore) {
  const samples = await store.listSamples();
  const { rows, skipped } = await store.embeddingsOf('dlib-resnet', 4);
  const sightings = await store.listSightings();
  return {
    thumbnails: await Promise.all(samples.map(async (s) => Array.from(new Uint8Array(await s.thumbnail.arrayBuffer())))),
    vectors: rows.sort((a, b) => a.sampleId.localeCompare(b.sampleId)).map((r) => Array.from(r.vector)),
    sighting: sightings[0]?.thumbnail ? Array.from(new Uint8Array(await sightings[0].thumbnail.arrayBuffer())) : null,
    skipped,
  };
}

describe('sealing', () => {
  it('opens only with the same key and the same row', async () => {
    const salt = new Uint8Array(16);
    const key = await passphraseKey('correct horse', salt, FAST);
    const other = await passphraseKey('correct horsf', salt, FAST);
    const sealed = await seal(key, new Uint8Array([1, 2, 3]), 'sample s1');
    expect(Array.from(await unseal(key, sealed, 'sample s1'))).toEqual([1, 2, 3]);
    await expect(unseal(other, sealed, 'sample s1')).rejects.toThrow();
    await expect(unseal(key, sealed, 'sample s2')).rejects.toThrow(); // copied onto another row
    const flipped = new Uint8Array(sealed.data.slice(0));
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    await expect(unseal(key, { iv: sealed.iv, data: flipped.buffer }, 'sample s1')).rejects.toThrow();
  });
});

describe('encryption at rest', () => {
  it('keeps no face picture or embedding in the clear, and asks for the passphrase after a restart', async () => {
    const name = freshName();
    const store = await open(name);
    await seedPerson(store, 3);
    const before = await readable(store);
    expect(store.encryption()).toBe('off');

    const progress: number[] = [];
    await store.setPassphrase('correct horse battery', null, (done) => progress.push(done));
    expect(store.encryption()).toBe('on');
    expect(progress.at(-1)).toBe(3 + 3 + 1);

    const disk = await rawRows(name);
    expect(disk.vault?.iterations).toBe(PBKDF2_ITERATIONS);
    expect(disk.samples.every((s) => isSealedField(s.thumbnail))).toBe(true);
    expect(disk.embeddings.every((e) => isSealedField(e.vector))).toBe(true);
    expect(disk.sightings.every((s) => isSealedField(s.thumbnail))).toBe(true);
    // The embedding's bytes appear nowhere in what is stored.
    const plainBytes = Buffer.from(vectorOf(0).buffer).toString('hex');
    expect(JSON.stringify(disk.embeddings.map((e) => isSealedField(e.vector) && Buffer.from(e.vector.data).toString('hex')))).not.toContain(plainBytes.slice(0, 16));
    expect(await readable(store)).toEqual(before);

    const later = await open(name);
    expect(later.encryption()).toBe('locked');
    await expect(later.listSamples()).rejects.toBeInstanceOf(LockedError);
    expect((await later.listPeople()).people.map((p) => p.name)).toEqual(['Ada']); // names are not sealed
    await expect(later.unlock('correct horse batterz')).rejects.toBeInstanceOf(WrongPassphraseError);
    expect(later.encryption()).toBe('locked');
    expect(await rawRows(name)).toEqual(disk); // a wrong passphrase changes nothing
    await later.unlock('correct horse battery');
    expect(later.encryption()).toBe('on');
    expect(await readable(later)).toEqual(before);
  });

  it('seals what is written while encrypted, and exports it decrypted', async () => {
    const name = freshName();
    const store = await open(name);
    await store.setPassphrase('correct horse battery', null, undefined, FAST);
    await seedPerson(store, 2);
    const disk = await rawRows(name);
    expect(disk.samples.every((s) => isSealedField(s.thumbnail)) && disk.embeddings.every((e) => isSealedField(e.vector))).toBe(true);
    const all = await store.allRows();
    expect(all.samples.every((s) => s.thumbnail instanceof Blob)).toBe(true);
    expect(Array.from(all.embeddings[0]?.vector ?? [])).toEqual(Array.from(vectorOf(0)));
  });

  it('changes the passphrase in one pass that survives an interruption and resumes at the next unlock', async () => {
    const name = freshName();
    const store = await open(name);
    await seedPerson(store, 150); // more than two batches of 64
    await store.setPassphrase('first passphrase', null, undefined, FAST);
    const before = await readable(store);

    // The tab closes after the first batch of the change.
    const closed = new Error('tab closed');
    await expect(store.setPassphrase('second passphrase', 'first passphrase', (done) => {
      if (done >= 64) throw closed;
    }, FAST)).rejects.toBe(closed);
    const half = await rawRows(name);
    const generations = new Set(half.samples.map((s) => (isSealedField(s.thumbnail) ? s.thumbnail.g : 0)));
    expect(generations).toEqual(new Set([1, 2])); // half re-encrypted

    const later = await open(name);
    expect(later.reencryptionOwed()).toBe(true);
    await expect(later.unlock('first passphrase')).rejects.toBeInstanceOf(WrongPassphraseError);
    await later.unlock('second passphrase');
    expect(await readable(later)).toEqual(before); // both keys still read meanwhile
    await later.resumeReencryption();
    expect(later.reencryptionOwed()).toBe(false);
    const done = await rawRows(name);
    expect(done.vault?.keys.map((k) => k.g)).toEqual([2]);
    expect(done.embeddings.every((e) => isSealedField(e.vector) && e.vector.g === 2)).toBe(true);
    expect(done.samples.every((s) => isSealedField(s.thumbnail) && s.thumbnail.g === 2)).toBe(true);
    expect(await readable(later)).toEqual(before);
  });

  it('turns encryption off only with the passphrase, leaving every row plain and no vault', async () => {
    const name = freshName();
    const store = await open(name);
    await seedPerson(store, 3);
    const before = await readable(store);
    await store.setPassphrase('correct horse battery', null, undefined, FAST);
    await expect(store.removePassphrase('wrong one!')).rejects.toBeInstanceOf(WrongPassphraseError);
    expect(store.encryption()).toBe('on');
    await store.removePassphrase('correct horse battery');
    expect(store.encryption()).toBe('off');
    const disk = await rawRows(name);
    expect(disk.vault).toBeUndefined();
    expect(disk.samples.every((s) => s.thumbnail instanceof Blob) && disk.embeddings.every((e) => e.vector instanceof Float32Array)).toBe(true);
    expect(await readable(await open(name))).toEqual(before);
  });

  it('refuses a write from a tab whose key is stale, and locks that tab', async () => {
    const name = freshName();
    const a = await open(name);
    await a.setPassphrase('first passphrase', null, undefined, FAST);
    const b = await open(name);
    await b.unlock('first passphrase');
    await a.setPassphrase('second passphrase', 'first passphrase', undefined, FAST);
    await expect(seedPerson(b, 1)).rejects.toThrow(/changed in another tab/);
    // The refused write re-reads the vault, and with it the tab locks.
    await vi.waitFor(() => expect(b.encryption()).toBe('locked'));
    expect((await rawRows(name)).samples).toHaveLength(0);
  });

  it('erases everything when the passphrase is forgotten, after which the app starts unencrypted', async () => {
    const name = freshName();
    const store = await open(name);
    await seedPerson(store, 2);
    await store.setPassphrase('correct horse battery', null, undefined, FAST);
    const later = await open(name);
    await later.eraseFaceData();
    expect(later.encryption()).toBe('off');
    expect((await later.listPeople()).people).toHaveLength(0);
    expect(await later.listSamples()).toHaveLength(0);
  });
});
