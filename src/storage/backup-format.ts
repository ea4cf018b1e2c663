// The export file: one versioned JSON document with the whole database. Embeddings travel as the base64
// of their float32 bytes and thumbnails as the base64 of their image bytes, so a round trip is
// byte-identical. Reading one is the only way foreign data reaches the database, so it is checked in
// full (schema, then meaning) before anything is written.
import { z } from 'zod';
import { MAX_NAME_LENGTH } from '../domain/people.ts';
import { backupSettingsSchema } from './settings-schema.ts';

export const BACKUP_FORMAT = 'visage-backup';
export const BACKUP_VERSION = 1;
/** Files above this are refused before they are read: a real backup of thousands of people is far smaller. */
export const MAX_BACKUP_BYTES = 200_000_000;
/** Every string field but names and images is an id, a type or a time: short. */
const MAX_ID = 100;

const id = z.string().min(1).max(MAX_ID);
const time = z.number().finite().nonnegative();
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64');

const quality = z.object({
  faceCount: z.number().finite(),
  faceSize: z.number().finite(),
  yawDeg: z.number().finite(),
  pitchDeg: z.number().finite(),
  sharpness: z.number().finite(),
  detectorScore: z.number().finite(),
});

const image = z.object({ type: z.enum(['image/jpeg', 'image/png', 'image/webp']), data: base64 });

export const backupSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  exportedAt: z.string().max(40),
  people: z.array(z.object({ id, name: z.string(), createdAt: time, updatedAt: time })),
  samples: z.array(z.object({ id, personId: id, createdAt: time, quality, thumbnail: image })),
  embeddings: z.array(z.object({ sampleId: id, personId: id, modelId: id, vector: base64 })),
  settings: backupSettingsSchema,
  heads: z.array(z.object({ modelId: id, dims: z.number().int().positive(), weights: base64, bias: base64, trainedAt: time, report: z.record(z.string(), z.unknown()) })),
  sightings: z.array(z.object({ id, personId: id.nullable(), firstSeen: time, lastSeen: time, bestDistance: z.number().nullable(), thumbnail: image.nullable() })),
});

export type BackupFile = z.infer<typeof backupSchema>;

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Float32 values as little-endian bytes (the layout of every platform that runs browsers). */
export function floatsToBase64(v: Float32Array): string {
  return toBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
}

export function floatsFromBase64(text: string): Float32Array | null {
  const bytes = fromBase64(text);
  if (bytes.length % 4 !== 0) return null;
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4).slice();
}

/** Whether the bytes start like the image type they claim (JPEG, PNG or WebP). */
export function looksLikeImage(bytes: Uint8Array, type: string): boolean {
  const starts = (...magic: number[]) => magic.every((b, i) => bytes[i] === b);
  if (type === 'image/jpeg') return starts(0xff, 0xd8, 0xff);
  if (type === 'image/png') return starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
  if (type === 'image/webp') return starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50;
  return false;
}

export { MAX_NAME_LENGTH };
