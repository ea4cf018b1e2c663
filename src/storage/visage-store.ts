// The app's database as a repository: people, their samples (aligned face thumbnails) and per-model
// embeddings, settings, sightings and heads. Every write is one transaction awaited to completion and
// announced by the stores it changed (store-changes.ts); every read is validated; face data is sealed
// and opened with the keys of this tab's vault session (vault-session.ts); an import lands through
// import-policy.ts. Over 300 lines for one reason: it is the single repository of seven object stores,
// one short method per read or write, so that every transaction goes through `write` and is announced.
import { openDB, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { Person, Sample as DomainSample, StoredEmbedding } from '../domain/people.ts';

/** A sample as stored here: its thumbnail is a JPEG Blob. */
export type Sample = DomainSample<Blob>;
import {
  DB_NAME, DB_VERSION, upgradeSchema, type HeadRow, type SettingsRow, type SightingRow, type StoredEmbeddingRow, type StoredSampleRow,
  type StoredSightingRow, type VisageSchema,
} from './schema.ts';
import type { DatabaseRows, ImportMode, ImportReport } from './backup.ts';
import { DEFAULT_SETTINGS, repairSettings, validEmbedding, validHeadRow, validPerson, validSample, validSighting } from './validation.ts';
import { openEach, openEmbedding, openSample, openSighting, sealEmbedding, sealSample, sealSighting } from './sealed-rows.ts';
import { KeyChangedError, type ReencryptionProgress } from './reencryption.ts';
import type { VaultRow } from './vault.ts';
import { StoreChanges, type ChangeTopic } from './store-changes.ts';
import { VaultSession, type EncryptionState } from './vault-session.ts';
import { applyImport, IMPORT_STORES } from './import-policy.ts';

export { GALLERY_TOPICS, type ChangeTopic } from './store-changes.ts';
export type { EncryptionState } from './vault-session.ts';

export class StorageFullError extends Error {
  constructor() {
    super('The device storage for this site is full: nothing was saved. Free some space (or delete people) and try again.');
    this.name = 'StorageFullError';
  }
}

export interface Enrollment {
  person: Person;
  samples: { sample: Sample; embedding: StoredEmbedding }[];
}

/** What deletePerson removed (as stored: sealed when encrypted), so the UI can offer "undo". */
export interface DeletedPerson {
  person: Person;
  samples: StoredSampleRow[];
  embeddings: StoredEmbeddingRow[];
  sightings: StoredSightingRow[];
}

export interface DeletedSample {
  sample: StoredSampleRow;
  embeddings: StoredEmbeddingRow[];
}

type WriteTx = IDBPTransaction<VisageSchema, StoreNames<VisageSchema>[], 'readwrite'>;

function isQuotaError(e: unknown): boolean {
  return e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22);
}

export class VisageStore {
  private readonly changes: StoreChanges;
  private readonly session: VaultSession;

  private constructor(private readonly db: IDBPDatabase<VisageSchema>, onBlocking: () => void, vault: VaultRow | undefined) {
    // Another tab wrote: tell our listeners to re-read (after re-reading the vault when that changed).
    this.changes = new StoreChanges((topics) => {
      if (topics.includes('vault')) void this.session.reload();
      return topics.filter((t) => t !== 'vault');
    });
    this.session = new VaultSession(db, vault, this.changes, (stores, body) => this.write(stores, (tx) => {
      const store = tx.objectStore('vault');
      return body({ get: () => store.get('vault'), put: (row) => store.put(row) });
    }, false, []));
    this.onBlocking = onBlocking;
  }

  private readonly onBlocking: () => void;

  /**
   * @param onBlocking called after this connection closed itself because another tab needs a newer
   *        schema: the UI must say so and offer a reload.
   */
  static async open(onBlocking: () => void = () => undefined, name = DB_NAME): Promise<VisageStore> {
    const opened: { store?: VisageStore } = {};
    const db = await openDB<VisageSchema>(name, DB_VERSION, {
      upgrade: (database, oldVersion, _newVersion, tx) => void upgradeSchema(database, oldVersion, tx),
      blocking: () => {
        // Close at once so the other tab's upgrade never hangs on us.
        opened.store?.db.close();
        opened.store?.onBlocking();
      },
    });
    opened.store = new VisageStore(db, onBlocking, await db.get('vault', 'vault'));
    return opened.store;
  }

  close(): void {
    this.changes.close();
    this.db.close();
  }

  /** @param topics only changes of these topics (once per change); every change when omitted. */
  onChange(listener: () => void, topics?: ChangeTopic | readonly ChangeTopic[]): () => void {
    return this.changes.onChange(listener, topics);
  }

  /** Tells this tab's listeners and the other tabs' stores. */
  announce(topics: readonly ChangeTopic[]): void {
    this.changes.announce(topics);
  }

  /**
   * Runs a write transaction to completion; a full disk becomes StorageFullError with nothing written.
   * A write of face data also checks, in the same transaction, that our key is still the vault's, so a
   * tab with an old key can never write rows the others cannot read.
   */
  /** @param changes what to announce once it is written: the stores written, unless told otherwise. */
  private async write(stores: StoreNames<VisageSchema>[], body: (tx: WriteTx) => Promise<void>, faceData = false, changes: readonly ChangeTopic[] = stores): Promise<void> {
    const tx = this.db.transaction(faceData ? [...stores, 'vault'] : stores, 'readwrite');
    const run = async () => {
      if (faceData && !this.session.fits(await tx.objectStore('vault').get('vault'))) throw new KeyChangedError();
      await body(tx);
    };
    try {
      await Promise.all([run(), tx.done]);
    } catch (e) {
      if (e instanceof KeyChangedError) void this.session.reload();
      try {
        tx.abort();
      } catch {
        // already finished or aborted
      }
      if (isQuotaError(e) || isQuotaError(tx.error)) throw new StorageFullError();
      throw e;
    }
    this.announce(changes);
  }

  encryption(): EncryptionState {
    return this.session.encryption();
  }

  /** Whether a re-encryption was interrupted and must be finished (resumeReencryption) once unlocked. */
  reencryptionOwed(): boolean {
    return this.session.reencryptionOwed();
  }

  /** Unlocks the face data for this tab; WrongPassphraseError changes nothing. */
  unlock(passphrase: string): Promise<void> {
    return this.session.unlock(passphrase);
  }

  /** See VaultSession.setPassphrase. */
  setPassphrase(passphrase: string, current: string | null, onProgress?: ReencryptionProgress, iterations?: number): Promise<void> {
    return this.session.setPassphrase(passphrase, current, onProgress, iterations);
  }

  removePassphrase(current: string, onProgress?: ReencryptionProgress): Promise<void> {
    return this.session.removePassphrase(current, onProgress);
  }

  resumeReencryption(onProgress?: ReencryptionProgress): Promise<{ damaged: number }> {
    return this.session.resumeReencryption(onProgress);
  }

  private requireUnlocked(): void {
    this.session.requireUnlocked();
  }

  /** For a forgotten passphrase: deletes everyone and everything, keeping only the settings. */
  async eraseFaceData(): Promise<void> {
    await this.write(['people', 'samples', 'embeddings', 'sightings', 'heads', 'vault'], async (tx) => {
      for (const name of ['people', 'samples', 'embeddings', 'sightings', 'heads', 'vault'] as const) await tx.objectStore(name).clear();
    });
    this.session.forget();
    this.announce(['vault']);
  }

  async listPeople(): Promise<{ people: Person[]; skipped: number }> {
    const rows = await this.db.getAll('people');
    const people = rows.filter(validPerson);
    return { people: people.sort((a, b) => a.name.localeCompare(b.name)), skipped: rows.length - people.length };
  }

  async listSamples(personId?: string): Promise<Sample[]> {
    this.requireUnlocked();
    const stored = personId ? await this.db.getAllFromIndex('samples', 'byPerson', personId) : await this.db.getAll('samples');
    const { rows } = await openEach(stored, (r) => openSample(r, this.session.keys));
    return rows.filter(validSample).sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Every valid embedding of one model; rows of the wrong width, non-finite, not unit length or that do not decrypt are skipped. */
  async embeddingsOf(modelId: string, dims: number): Promise<{ rows: StoredEmbedding[]; skipped: number }> {
    this.requireUnlocked();
    const stored = await this.db.getAllFromIndex('embeddings', 'byModel', modelId);
    const { rows } = await openEach(stored, (r) => openEmbedding(r, this.session.keys));
    const valid = rows.filter((r) => validEmbedding(r, dims));
    return { rows: valid, skipped: stored.length - valid.length };
  }

  async enroll(e: Enrollment): Promise<void> {
    // Sealed before the transaction: WebCrypto's promises would let an IndexedDB transaction commit early.
    const rows = await Promise.all(e.samples.map(async ({ sample, embedding }) => [await sealSample(sample, this.session.keys), await sealEmbedding(embedding, this.session.keys)] as const));
    await this.write(['people', 'samples', 'embeddings'], async (tx) => {
      await tx.objectStore('people').put({ ...e.person, updatedAt: Date.now() });
      for (const [sample, embedding] of rows) {
        await tx.objectStore('samples').put(sample);
        await tx.objectStore('embeddings').put(embedding);
      }
    }, true);
  }

  async renamePerson(id: string, name: string): Promise<void> {
    await this.write(['people'], async (tx) => {
      const person = await tx.objectStore('people').get(id);
      if (!person) throw new Error('That person is no longer enrolled.');
      await tx.objectStore('people').put({ ...person, name, updatedAt: Date.now() });
    });
  }

  /**
   * Two cards for one person (a rename to a name already enrolled): `from`'s samples, embeddings and
   * sightings become `into`'s, in one transaction, and `from` goes. Sealed fields are bound to their own
   * row ids, not the person's, so they move without being sealed again.
   */
  async mergePeople(from: string, into: string): Promise<void> {
    await this.write(['people', 'samples', 'embeddings', 'sightings'], async (tx) => {
      if (!(await tx.objectStore('people').get(from)) || !(await tx.objectStore('people').get(into))) throw new Error('That person is no longer enrolled.');
      for (const s of await tx.objectStore('samples').index('byPerson').getAll(from)) await tx.objectStore('samples').put({ ...s, personId: into });
      for (const e of await tx.objectStore('embeddings').index('byPerson').getAll(from)) await tx.objectStore('embeddings').put({ ...e, personId: into });
      for (const s of (await tx.objectStore('sightings').getAll()).filter((x) => x.personId === from)) await tx.objectStore('sightings').put({ ...s, personId: into });
      await tx.objectStore('people').delete(from);
    });
  }

  /** Deletes a person with everything about them: samples, embeddings and their sightings. */
  async deletePerson(id: string): Promise<DeletedPerson | null> {
    let deleted: DeletedPerson | null = null;
    await this.write(['people', 'samples', 'embeddings', 'sightings'], async (tx) => {
      const person = await tx.objectStore('people').get(id);
      if (!person) return;
      const samples = await tx.objectStore('samples').index('byPerson').getAll(id);
      const embeddings = await tx.objectStore('embeddings').index('byPerson').getAll(id);
      // Sightings have no person index (unknowns have none): a scan, bounded by the retention.
      const sightings = (await tx.objectStore('sightings').getAll()).filter((s) => s.personId === id);
      for (const s of samples) await tx.objectStore('samples').delete(s.id);
      for (const em of embeddings) await tx.objectStore('embeddings').delete([em.sampleId, em.modelId]);
      for (const s of sightings) await tx.objectStore('sightings').delete(s.id);
      await tx.objectStore('people').delete(id);
      deleted = { person, samples, embeddings, sightings };
    });
    return deleted;
  }

  /** Undo of deletePerson: puts everything back in one transaction. */
  async restorePerson(d: DeletedPerson): Promise<void> {
    await this.write(['people', 'samples', 'embeddings', 'sightings'], async (tx) => {
      await tx.objectStore('people').put(d.person);
      for (const s of d.samples) await tx.objectStore('samples').put(s);
      for (const em of d.embeddings) await tx.objectStore('embeddings').put(em);
      for (const s of d.sightings) await tx.objectStore('sightings').put(s);
    }, true);
  }

  async deleteSample(sampleId: string): Promise<DeletedSample | null> {
    let removed: DeletedSample | null = null;
    await this.write(['samples', 'embeddings'], async (tx) => {
      const sample = await tx.objectStore('samples').get(sampleId);
      if (!sample) return;
      const embeddings = await tx.objectStore('embeddings').index('bySample').getAll(sampleId);
      for (const em of embeddings) await tx.objectStore('embeddings').delete([em.sampleId, em.modelId]);
      await tx.objectStore('samples').delete(sampleId);
      removed = { sample, embeddings };
    });
    return removed;
  }

  async restoreSample(r: DeletedSample): Promise<void> {
    await this.write(['samples', 'embeddings'], async (tx) => {
      await tx.objectStore('samples').put(r.sample);
      for (const em of r.embeddings) await tx.objectStore('embeddings').put(em);
    }, true);
  }

  /** How many samples have no embedding of this model yet, from the keys alone (nothing decrypted). */
  async countMissing(modelId: string): Promise<number> {
    const tx = this.db.transaction(['samples', 'embeddings'], 'readonly');
    const [samples, done] = await Promise.all([
      tx.objectStore('samples').getAllKeys(), tx.objectStore('embeddings').index('byModel').getAllKeys(modelId), tx.done,
    ]);
    const embedded = new Set(done.map((k) => String(k[0])));
    return samples.filter((id) => !embedded.has(String(id))).length;
  }

  /** Samples that have no embedding of this model yet: the work list of a (resumable) re-embedding. */
  async samplesMissing(modelId: string): Promise<Sample[]> {
    const done = new Set((await this.db.getAllFromIndex('embeddings', 'byModel', modelId)).map((e) => e.sampleId));
    return (await this.listSamples()).filter((s) => !done.has(s.id));
  }

  /**
   * @param announce false for one of many writes (a re-embedding), which announces 'embeddings' once
   *        at the end: each announcement rebuilds the gallery.
   */
  async putEmbedding(e: StoredEmbedding, announce = true): Promise<void> {
    const sealed = await sealEmbedding(e, this.session.keys);
    await this.write(['samples', 'embeddings'], async (tx) => {
      // The sample may have been deleted meanwhile: never leave an orphan embedding.
      if (await tx.objectStore('samples').get(e.sampleId)) await tx.objectStore('embeddings').put(sealed);
    }, true, announce ? ['embeddings'] : []);
  }

  async settings(): Promise<SettingsRow> {
    return repairSettings((await this.db.get('settings', 'settings')) ?? DEFAULT_SETTINGS);
  }

  async saveSettings(patch: Partial<Omit<SettingsRow, 'key'>>): Promise<SettingsRow> {
    let next = DEFAULT_SETTINGS;
    // Read and write in one transaction: two changes made in quick succession (or in two tabs) must not
    // each write over the other with the row they read before it was saved.
    await this.write(['settings'], async (tx) => {
      const store = tx.objectStore('settings');
      next = repairSettings({ ...repairSettings((await store.get('settings')) ?? DEFAULT_SETTINGS), ...patch });
      await store.put(next);
    });
    return next;
  }

  /** Stores new and grown sightings; a thumbnail already stored is kept when an update carries none. */
  async putSightings(rows: readonly SightingRow[]): Promise<void> {
    if (rows.length === 0) return;
    const sealed = await Promise.all(rows.map((r) => sealSighting(r, this.session.keys)));
    await this.write(['sightings'], async (tx) => {
      const store = tx.objectStore('sightings');
      for (const row of sealed) {
        const old = row.thumbnail ? undefined : await store.get(row.id);
        await store.put({ ...row, thumbnail: row.thumbnail ?? old?.thumbnail ?? null });
      }
    }, true);
  }

  /** Sightings last seen in [from, to), newest first; damaged rows are skipped. */
  async listSightings(from = 0, to = Number.MAX_SAFE_INTEGER): Promise<SightingRow[]> {
    this.requireUnlocked();
    const stored = await this.db.getAllFromIndex('sightings', 'byLastSeen', IDBKeyRange.bound(from, to, false, true));
    const { rows } = await openEach(stored, (r) => openSighting(r, this.session.keys));
    return rows.filter(validSighting).sort((a, b) => b.firstSeen - a.firstSeen);
  }

  /** The retention: deletes every sighting last seen before `cutoff`. Returns how many went. */
  async deleteSightingsBefore(cutoff: number): Promise<number> {
    let removed = 0;
    await this.write(['sightings'], async (tx) => {
      let cursor = await tx.objectStore('sightings').index('byLastSeen').openCursor(IDBKeyRange.upperBound(cutoff, true));
      while (cursor) {
        await cursor.delete();
        removed += 1;
        cursor = await cursor.continue();
      }
    });
    return removed;
  }

  async clearSightings(): Promise<void> {
    await this.write(['sightings'], async (tx) => {
      await tx.objectStore('sightings').clear();
    });
  }

  /** The personal head of a model, or null (none trained, or a damaged row). */
  async head(modelId: string, dims: number): Promise<HeadRow | null> {
    const row = await this.db.get('heads', modelId);
    return row && validHeadRow(row, modelId, dims) ? row : null;
  }

  async saveHead(row: HeadRow): Promise<void> {
    await this.write(['heads'], async (tx) => {
      await tx.objectStore('heads').put(row);
    });
  }

  async deleteHead(modelId: string): Promise<void> {
    await this.write(['heads'], async (tx) => {
      await tx.objectStore('heads').delete(modelId);
    });
  }

  /** Every row, read in one transaction (a consistent snapshot for an export), decrypted. */
  async allRows(): Promise<DatabaseRows> {
    this.requireUnlocked();
    const tx = this.db.transaction(['people', 'samples', 'embeddings', 'settings', 'heads', 'sightings'], 'readonly');
    const [people, samples, embeddings, settings, heads, sightings] = await Promise.all([
      tx.objectStore('people').getAll(), tx.objectStore('samples').getAll(), tx.objectStore('embeddings').getAll(),
      tx.objectStore('settings').get('settings'), tx.objectStore('heads').getAll(), tx.objectStore('sightings').getAll(),
    ]);
    await tx.done;
    const ring = this.session.keys;
    return {
      people, settings: repairSettings(settings ?? DEFAULT_SETTINGS), heads,
      samples: (await openEach(samples, (r) => openSample(r, ring))).rows,
      embeddings: (await openEach(embeddings, (r) => openEmbedding(r, ring))).rows,
      sightings: (await openEach(sightings, (r) => openSighting(r, ring))).rows,
    };
  }

  /**
   * Writes checked rows (backup.ts's readBackup) in one transaction. `replace` empties the database first
   * and takes the file's settings; `merge` adds what is new by id and keeps every local record whose id
   * the file also has, reporting those whose data differ.
   */
  async importRows(plain: DatabaseRows, mode: ImportMode): Promise<ImportReport> {
    const report: ImportReport = { mode, peopleAdded: 0, samplesAdded: 0, conflicts: [] };
    const ring = this.session.keys;
    const rows = {
      ...plain,
      samples: await Promise.all(plain.samples.map((r) => sealSample(r, ring))),
      embeddings: await Promise.all(plain.embeddings.map((r) => sealEmbedding(r, ring))),
      sightings: await Promise.all(plain.sightings.map((r) => sealSighting(r, ring))),
    };
    await this.write(IMPORT_STORES, (tx) => applyImport(tx, rows, mode, report), true);
    return report;
  }
}
