// The people a user enrolls and their samples, as the rest of the app sees them (storage keeps them).
import type { FaceQuality } from './quality-gates.ts';

export interface Person {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
}

/**
 * One enrolled photo of a person: the aligned face, kept so any model can re-embed it later.
 * The thumbnail's type is the platform's (a Blob in the browser); the domain never looks inside it.
 */
export interface Sample<Thumbnail = unknown> {
  id: string;
  personId: string;
  /** Aligned face JPEG (240 px square, 224 from older versions; eyes/nose/mouth at its layout's template). */
  thumbnail: Thumbnail;
  quality: FaceQuality;
  createdAt: number;
}

export interface StoredEmbedding {
  sampleId: string;
  personId: string;
  modelId: string;
  vector: Float32Array;
}

export const MAX_NAME_LENGTH = 200;

/** Trims and checks a person's name; names are only ever shown as text, never as HTML. */
export function cleanName(raw: string): { ok: true; name: string } | { ok: false; message: string } {
  const name = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!name) return { ok: false, message: 'Type a name first.' };
  if (name.length > MAX_NAME_LENGTH) return { ok: false, message: `Names are at most ${MAX_NAME_LENGTH} characters.` };
  return { ok: true, name };
}
