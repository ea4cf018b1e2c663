// Rows between their plain form (what the app uses) and their stored form (face pictures and embeddings
// sealed when a passphrase is set). Each sealed field is bound to its row (AES-GCM additional data), so a
// ciphertext copied onto another row does not open.
import type { EmbeddingRow, SampleRow, SightingRow, StoredEmbeddingRow, StoredSampleRow, StoredSightingRow } from './schema.ts';
import { isSealedField, LockedError, type Keyring, type SealedField } from './vault.ts';

export type Ring = Keyring | null;

const sampleContext = (r: { id: string }) => `sample ${r.id}`;
const embeddingContext = (r: { sampleId: string; modelId: string }) => `embedding ${r.sampleId} ${r.modelId}`;
const sightingContext = (r: { id: string }) => `sighting ${r.id}`;

async function openBytes(field: SealedField, context: string, ring: Ring): Promise<Uint8Array> {
  if (!ring) throw new LockedError();
  return ring.openField(field, context);
}

const sealing = (ring: Ring): ring is Keyring => ring !== null && ring.current !== null;

async function openBlob(field: Blob | SealedField, context: string, ring: Ring): Promise<Blob> {
  return isSealedField(field) ? new Blob([new Uint8Array(await openBytes(field, context, ring))], { type: field.type }) : field;
}

async function sealBlob(blob: Blob, context: string, ring: Ring): Promise<Blob | SealedField> {
  return sealing(ring) ? ring.sealField(new Uint8Array(await blob.arrayBuffer()), blob.type, context) : blob;
}

export async function openSample(row: StoredSampleRow, ring: Ring): Promise<SampleRow> {
  return { ...row, thumbnail: await openBlob(row.thumbnail, sampleContext(row), ring) };
}

export async function sealSample(row: SampleRow | StoredSampleRow, ring: Ring): Promise<StoredSampleRow> {
  const thumbnail = row.thumbnail instanceof Blob ? await sealBlob(row.thumbnail, sampleContext(row), ring) : row.thumbnail;
  return { ...row, thumbnail };
}

export async function openEmbedding(row: StoredEmbeddingRow, ring: Ring): Promise<EmbeddingRow> {
  if (!isSealedField(row.vector)) return { ...row, vector: row.vector };
  const plain = await openBytes(row.vector, embeddingContext(row), ring);
  return { ...row, vector: new Float32Array(plain.buffer, plain.byteOffset, plain.byteLength / 4) };
}

export async function sealEmbedding(row: EmbeddingRow | StoredEmbeddingRow, ring: Ring): Promise<StoredEmbeddingRow> {
  if (!(row.vector instanceof Float32Array) || !sealing(ring)) return row;
  const v = row.vector;
  return { ...row, vector: await ring.sealField(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), 'float32', embeddingContext(row)) };
}

export async function openSighting(row: StoredSightingRow, ring: Ring): Promise<SightingRow> {
  return { ...row, thumbnail: row.thumbnail && (await openBlob(row.thumbnail, sightingContext(row), ring)) };
}

export async function sealSighting(row: SightingRow | StoredSightingRow, ring: Ring): Promise<StoredSightingRow> {
  const thumbnail = row.thumbnail instanceof Blob ? await sealBlob(row.thumbnail, sightingContext(row), ring) : row.thumbnail;
  return { ...row, thumbnail };
}

/**
 * Opens every row; a row that does not open (changed on disk, or sealed by a key this vault no longer
 * has) is left out and counted, like any damaged row. The store checks it is unlocked before reading.
 */
export async function openEach<S, P>(rows: readonly S[], open: (row: S) => Promise<P>): Promise<{ rows: P[]; damaged: number }> {
  const out: P[] = [];
  for (const row of rows) {
    try {
      out.push(await open(row));
    } catch {
      // counted below
    }
  }
  return { rows: out, damaged: rows.length - out.length };
}

/** Whether a stored field is already as the keyring writes: sealed with its current key, or plain when none. */
export function fieldIsCurrent(field: unknown, ring: Ring): boolean {
  if (field === null) return true;
  const target = ring?.current ?? null;
  return isSealedField(field) ? field.g === target : target === null;
}

/** The same stored field: sealed by the same key with the same nonce, or plain both times (plain face data is never rewritten in place). */
export function sameField(a: unknown, b: unknown): boolean {
  if (isSealedField(a) && isSealedField(b)) return a.g === b.g && a.iv.length === b.iv.length && a.iv.every((x, i) => x === b.iv[i]);
  return !isSealedField(a) && !isSealedField(b) && (a === null) === (b === null);
}

/** The three kinds of rows that hold face data, with the one field each that is sealed. */
export const SEALED_STORES = {
  samples: { field: 'thumbnail', reseal: async (r: StoredSampleRow, ring: Ring) => sealSample(await openSample(r, ring), ring) },
  embeddings: { field: 'vector', reseal: async (r: StoredEmbeddingRow, ring: Ring) => sealEmbedding(await openEmbedding(r, ring), ring) },
  sightings: { field: 'thumbnail', reseal: async (r: StoredSightingRow, ring: Ring) => sealSighting(await openSighting(r, ring), ring) },
} as const;
