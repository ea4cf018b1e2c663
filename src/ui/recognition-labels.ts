// Turns recognised faces into what the overlay and the live list say: a name with its similarity, or
// "Not in database".
import type { Person } from '../domain/people.ts';
import type { RecognizedFace } from '../worker/vision-client.ts';
import type { OverlayFace } from './overlay.ts';

export const NOT_IN_DATABASE = 'Not in database';
/** What a face judged a photo or screen (anti-spoofing on) is labelled instead of a name. */
export const PHOTO_LABEL = 'Photo?';

/** Cosine similarity of unit vectors from their squared distance, as a percentage people can read. */
export function similarityPercent(squaredDistance: number): number {
  return Math.round(Math.max(0, Math.min(1, 1 - squaredDistance / 2)) * 100);
}

export function recognitionLabels(faces: readonly RecognizedFace[], people: readonly Person[]): OverlayFace[] {
  const names = new Map(people.map((p) => [p.id, p.name]));
  return faces.map(({ box, identity, photo }): OverlayFace => {
    if (photo) return { box, text: PHOTO_LABEL, tone: 'unknown', spoof: 'photo' };
    const checked = photo === false ? { spoof: 'real' as const } : {};
    // Not decided yet (its first embedding is on the way): a box without a label.
    if (identity.kind === 'pending') return { box, text: '', tone: 'neutral', ...checked };
    // A person deleted meanwhile is never named, even before the worker hears of it.
    const name = identity.kind === 'known' ? names.get(identity.personId) : undefined;
    if (identity.kind === 'known' && name) return { box, text: `${name} · ${similarityPercent(identity.distance)} %`, tone: 'known', ...checked };
    return { box, text: NOT_IN_DATABASE, tone: 'unknown', ...checked };
  });
}
