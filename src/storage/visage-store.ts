// The app's database: people, their samples (aligned face thumbnails) and per-model embeddings, plus
// settings. Every write is one transaction that is awaited to completion; every read is validated.
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
import { openEach, openEmbedding, openSample, openSighting, sealEmbedding, sealSample, sealSighting, type Ring } from './sealed-rows.ts';
import { KeyChangedError, reencrypt, reencryptionOwed, ringFitsVault, type ReencryptionProgress } from './reencryption.ts';
import { keyringOf, LockedError, newVault, openDataKeys, unlockVault, type VaultRow } from './vault.ts';

/**
 * What a write changed, named by the object store it changed. Each listener names the topics it cares
 * about: the gallery must not rebuild (decrypting every sample, clearing every live label) on a drag of
 * the threshold or on the sightings log, which is written every few seconds.
 */
export type ChangeTopic = StoreNames<VisageSchema>;
const TOPICS: readonly ChangeTopic[] = ['people', 'samples', 'embeddings', 'settings', 'sightings', 'heads', 'vault'];
/** What the gallery is built from. */
export const GALLERY_TOPICS: readonly ChangeTopic[] = ['people', 'samples', 'embeddings', 'heads'];

const isTopics = (v: unknown): v is ChangeTopic[] => Array.isArray(v) && v.every((t) => TOPICS.includes(t as ChangeTopic));

/** Encryption at rest: none, set but not unlocked in this tab, or unlocked. */
export type EncryptionState = 'off' | 'locked' | 'on';

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

const CHANNEL = 'visage-db';

function isQuotaError(e: unknown): boolean {
  return e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22);
}

export class VisageStore {
  private readonly channel: BroadcastChannel | null;
  private readonly listeners = new Set<(topics: readonly ChangeTopic[]) => void>();

  /** The vault row as last read (undefined: no passphrase set) and this tab's unlocked data keys. */
  private vault: VaultRow | undefined;
  private ring: Ring = null;

  private constructor(private readonly db: IDBPDatabase<VisageSchema>, onBlocking: () => void, vault: VaultRow | undefined) {
    this.vault = vault;
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
    // Another tab wrote: tell our listeners to re-read (after re-reading the vault when that changed).
    this.channel?.addEventListener('message', (e: MessageEvent) => {
      if (!isTopics(e.data)) return;
      if (e.data.includes('vault')) void this.reloadVault();
      const rest = e.data.filter((t) => t !== 'vault');
      if (rest.length > 0) this.emit(rest);
    });
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
    this.channel?.close();
    this.db.close();
  }

  /** @param topics only changes of these topics (once per change); every change when omitted. */
  onChange(listener: () => void, topics?: ChangeTopic | readonly ChangeTopic[]): () => void {
    const wanted = typeof topics === 'string' ? [topics] : topics;
    const filtered = (changed: readonly ChangeTopic[]) => {
      if (!wanted || changed.some((t) => wanted.includes(t))) listener();
    };
    this.listeners.add(filtered);
    return () => this.listeners.delete(filtered);
  }

  private emit(topics: readonly ChangeTopic[]): void {
    for (const l of this.listeners) l(topics);
  }

  /** Tells this tab's listeners and the other tabs' stores. */
  announce(topics: readonly ChangeTopic[]): void {
    if (topics.length === 0) return;
    this.emit(topics);
    this.channel?.postMessage([...topics]);
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
      if (faceData && !ringFitsVault(await tx.objectStore('vault').get('vault'), this.ring)) throw new KeyChangedError();
      await body(tx);
    };
    try {
      await Promise.all([run(), tx.done]);
    } catch (e) {
      if (e instanceof KeyChangedError) void this.reloadVault();
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
    if (!this.vault) return 'off';
    return ringFitsVault(this.vault, this.ring) ? 'on' : 'locked';
  }

  /** Whether a re-encryption was interrupted and must be finished (resumeReencryption) once unlocked. */
  reencryptionOwed(): boolean {
    return reencryptionOwed(this.vault);
  }

  private requireUnlocked(): void {
    if (this.encryption() === 'locked') throw new LockedError();
  }

  private async reloadVault(): Promise<void> {
    this.vault = await this.db.get('vault', 'vault');
    if (!ringFitsVault(this.vault, this.ring)) this.ring = null;
    this.emit(['vault', ...GALLERY_TOPICS]);
  }

  /** Unlocks the face data for this tab; WrongPassphraseError changes nothing. */
  async unlock(passphrase: string): Promise<void> {
    this.vault = await this.db.get('vault', 'vault');
    if (!this.vault) return;
    this.ring = await unlockVault(this.vault, passphrase);
    this.emit(['vault', ...GALLERY_TOPICS]);
  }

  /** Stores a new vault row and switches to its keyring together, so the tab is never seen locked between. */
  private async saveVault(row: VaultRow, expected: VaultRow | undefined, ring: Ring): Promise<void> {
    await this.write(['vault'], async (tx) => {
      const now = await tx.objectStore('vault').get('vault');
      // Another tab changed the passphrase since we read it: do not overwrite its keys.
      if (now?.check.iv.join() !== expected?.check.iv.join() || now?.current !== expected?.current) throw new KeyChangedError();
      await tx.objectStore('vault').put(row);
    }, false, []); // announced below, once this tab holds the new keys
    this.vault = row;
    this.ring = ring;
    this.announce(['vault']);
  }

  /**
   * Sets the passphrase (the current one is needed when there is one), then re-encrypts every face
   * picture and embedding with a new data key. Interrupted, it resumes at the next unlock.
   */
  async setPassphrase(passphrase: string, current: string | null, onProgress?: ReencryptionProgress, iterations?: number): Promise<void> {
    const before = (this.vault = await this.db.get('vault', 'vault'));
    const carried = before ? await openDataKeys(before, current ?? '') : new Map<number, Uint8Array>();
    const { row, raw } = await newVault(passphrase, carried, iterations);
    await this.saveVault(row, before, await keyringOf(row, raw));
    await this.resumeReencryption(onProgress);
  }

  /** Turns encryption off (the passphrase is needed): every row is decrypted, then the vault goes. */
  async removePassphrase(current: string, onProgress?: ReencryptionProgress): Promise<void> {
    const before = (this.vault = await this.db.get('vault', 'vault'));
    if (!before) return;
    const raw = await openDataKeys(before, current);
    const row: VaultRow = { ...before, current: null };
    await this.saveVault(row, before, await keyringOf(row, raw));
    await this.resumeReencryption(onProgress);
  }

  async resumeReencryption(onProgress?: ReencryptionProgress): Promise<{ damaged: number }> {
    this.requireUnlocked();
    const result = await reencrypt(this.db, this.ring, onProgress);
    this.vault = await this.db.get('vault', 'vault');
    if (!this.vault) this.ring = null;
    this.announce(['vault', ...GALLERY_TOPICS]);
    return result;
  }

  /** For a forgotten passphrase: deletes everyone and everything, keeping only the settings. */
  async eraseFaceData(): Promise<void> {
    await this.write(['people', 'samples', 'embeddings', 'sightings', 'heads', 'vault'], async (tx) => {
      for (const name of ['people', 'samples', 'embeddings', 'sightings', 'heads', 'vault'] as const) await tx.objectStore(name).clear();
    });
    this.vault = undefined;
    this.ring = null;
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
    const { rows } = await openEach(stored, (r) => openSample(r, this.ring));
    return rows.filter(validSample).sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Every valid embedding of one model; rows of the wrong width, non-finite, not unit length or that do not decrypt are skipped. */
  async embeddingsOf(modelId: string, dims: number): Promise<{ rows: StoredEmbedding[]; skipped: number }> {
    this.requireUnlocked();
    const stored = await this.db.getAllFromIndex('embeddings', 'byModel', modelId);
    const { rows } = await openEach(stored, (r) => openEmbedding(r, this.ring));
    const valid = rows.filter((r) => validEmbedding(r, dims));
    return { rows: valid, skipped: stored.length - valid.length };
  }

  async enroll(e: Enrollment): Promise<void> {
    // Sealed before the transaction: WebCrypto's promises would let an IndexedDB transaction commit early.
    const rows = await Promise.all(e.samples.map(async ({ sample, embedding }) => [await sealSample(sample, this.ring), await sealEmbedding(embedding, this.ring)] as const));
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
    const sealed = await sealEmbedding(e, this.ring);
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
    const sealed = await Promise.all(rows.map((r) => sealSighting(r, this.ring)));
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
    const { rows } = await openEach(stored, (r) => openSighting(r, this.ring));
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
    const ring = this.ring;
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
    const ring = this.ring;
    const rows = {
      ...plain,
      samples: await Promise.all(plain.samples.map((r) => sealSample(r, ring))),
      embeddings: await Promise.all(plain.embeddings.map((r) => sealEmbedding(r, ring))),
      sightings: await Promise.all(plain.sightings.map((r) => sealSighting(r, ring))),
    };
    await this.write(['people', 'samples', 'embeddings', 'settings', 'heads', 'sightings'], async (tx) => {
      const stores = {
        people: tx.objectStore('people'), samples: tx.objectStore('samples'), embeddings: tx.objectStore('embeddings'),
        heads: tx.objectStore('heads'), sightings: tx.objectStore('sightings'), settings: tx.objectStore('settings'),
      };
      if (mode === 'replace') {
        await Promise.all([stores.people.clear(), stores.samples.clear(), stores.embeddings.clear(), stores.heads.clear(), stores.sightings.clear()]);
        await stores.settings.put(rows.settings);
      }
      const skippedSamples = new Set<string>();
      for (const p of rows.people) {
        const local = mode === 'merge' ? await stores.people.get(p.id) : undefined;
        if (local) {
          if (local.name !== p.name) report.conflicts.push(`"${p.name}" in the file is "${local.name}" here: kept "${local.name}"`);
          continue;
        }
        await stores.people.put(p);
        report.peopleAdded += 1;
      }
      for (const s of rows.samples) {
        const local = mode === 'merge' ? await stores.samples.get(s.id) : undefined;
        if (local) {
          skippedSamples.add(s.id);
          if (local.personId !== s.personId) report.conflicts.push(`sample "${s.id}" belongs to another person here: kept the local one`);
          continue;
        }
        await stores.samples.put(s);
        report.samplesAdded += 1;
      }
      for (const e of rows.embeddings) {
        if (mode === 'merge' && (skippedSamples.has(e.sampleId) || (await stores.embeddings.get([e.sampleId, e.modelId])))) continue;
        await stores.embeddings.put(e);
      }
      for (const h of rows.heads) {
        if (mode === 'merge' && (await stores.heads.get(h.modelId))) continue;
        await stores.heads.put(h);
      }
      for (const s of rows.sightings) {
        if (mode === 'merge' && (await stores.sightings.get(s.id))) continue;
        await stores.sightings.put(s);
      }
    }, true);
    return report;
  }
}
