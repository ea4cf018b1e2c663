// The one IndexedDB schema (idb's DBSchema) and its upgrade ladder, step by step from each old version.
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { FaceQuality } from '../domain/quality-gates.ts';
import type { PersonalHead } from '../domain/personal-head.ts';
import type { HeadReport } from '../domain/head-validation.ts';
import type { Sighting } from '../domain/sightings.ts';
import type { SealedField, VaultRow } from './vault.ts';
import type { Settings } from './settings-schema.ts';

export const DB_NAME = 'visage';
/**
 * v1: embeddings inline on samples (one model). v2: embeddings per sample and model in their own store.
 * v3: the sightings log and personal heads. v4: the vault (encryption at rest, optional).
 */
export const DB_VERSION = 4;

export interface PersonRow {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
}

export interface SampleRow {
  id: string;
  personId: string;
  thumbnail: Blob;
  quality: FaceQuality;
  createdAt: number;
}

export interface EmbeddingRow {
  sampleId: string;
  personId: string;
  modelId: string;
  vector: Float32Array;
}

/** The stored settings row: the fields are settings-schema.ts's. */
export type SettingsRow = { key: 'settings' } & Settings;

export interface SightingRow extends Sighting {
  /** JPEG of the face when it was first seen, only when the user turned thumbnails on. */
  thumbnail: Blob | null;
}

/** A personal head with how it was judged when it was kept. */
export interface HeadRow extends PersonalHead {
  trainedAt: number;
  report: HeadReport;
}

/** Rows as stored: with a passphrase set, face pictures and embeddings are sealed (vault.ts). */
export type StoredSampleRow = Omit<SampleRow, 'thumbnail'> & { thumbnail: Blob | SealedField };
export type StoredEmbeddingRow = Omit<EmbeddingRow, 'vector'> & { vector: Float32Array | SealedField };
export type StoredSightingRow = Omit<SightingRow, 'thumbnail'> & { thumbnail: Blob | SealedField | null };

export interface VisageSchema extends DBSchema {
  people: { key: string; value: PersonRow };
  samples: { key: string; value: StoredSampleRow; indexes: { byPerson: string } };
  embeddings: { key: [string, string]; value: StoredEmbeddingRow; indexes: { byModel: string; bySample: string; byPerson: string } };
  settings: { key: string; value: SettingsRow };
  sightings: { key: string; value: StoredSightingRow; indexes: { byLastSeen: number } };
  heads: { key: string; value: HeadRow };
  vault: { key: string; value: VaultRow };
}

/** What a version-1 sample looked like (kept for the upgrade, and for the tests that build a v1 database). */
export interface SampleRowV1 extends SampleRow {
  modelId: string;
  embedding: Float32Array;
}

type UpgradeTx = IDBPTransaction<VisageSchema, StoreNames<VisageSchema>[], 'versionchange'>;

export async function upgradeSchema(db: IDBPDatabase<VisageSchema>, oldVersion: number, tx: UpgradeTx): Promise<void> {
  if (oldVersion < 1) {
    db.createObjectStore('people', { keyPath: 'id' });
    db.createObjectStore('samples', { keyPath: 'id' }).createIndex('byPerson', 'personId');
    db.createObjectStore('settings', { keyPath: 'key' });
  }
  if (oldVersion < 2) {
    const embeddings = db.createObjectStore('embeddings', { keyPath: ['sampleId', 'modelId'] });
    embeddings.createIndex('byModel', 'modelId');
    embeddings.createIndex('bySample', 'sampleId');
    embeddings.createIndex('byPerson', 'personId');
    // Move each v1 inline embedding into the new store and strip it from the sample.
    if (oldVersion === 1) {
      let cursor = await tx.objectStore('samples').openCursor();
      while (cursor) {
        const old = cursor.value as unknown as Partial<SampleRowV1> & SampleRow;
        if (old.embedding instanceof Float32Array && typeof old.modelId === 'string') {
          await tx.objectStore('embeddings').put({ sampleId: old.id, personId: old.personId, modelId: old.modelId, vector: old.embedding });
        }
        const { id, personId, thumbnail, quality, createdAt } = old;
        await cursor.update({ id, personId, thumbnail, quality, createdAt });
        cursor = await cursor.continue();
      }
    }
  }
  if (oldVersion < 3) {
    db.createObjectStore('sightings', { keyPath: 'id' }).createIndex('byLastSeen', 'lastSeen');
    db.createObjectStore('heads', { keyPath: 'modelId' });
  }
  if (oldVersion < 4) db.createObjectStore('vault', { keyPath: 'key' });
}
