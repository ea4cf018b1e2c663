// Turns recognised faces into what the overlay and the live list say: a name with how sure it is
// (domain/match-confidence.ts), or "Not in database".
import type { Person } from '../domain/people.ts';
import type { RecognizedFace } from '../worker/protocol.ts';
import type { OverlayFace } from './overlay.ts';
import { matchConfidence, matchDetail } from '../domain/match-confidence.ts';

export const NOT_IN_DATABASE = 'Not in database';
/** What a face judged a photo or screen (anti-spoofing on) is labelled instead of a name. */
export const PHOTO_LABEL = 'Photo?';

/** @param threshold the policy's threshold the names were decided by. */
export function recognitionLabels(faces: readonly RecognizedFace[], people: readonly Person[], threshold: number): OverlayFace[] {
  const names = new Map(people.map((p) => [p.id, p.name]));
  return faces.map(({ box, identity, photo }): OverlayFace => {
    if (photo) return { box, text: PHOTO_LABEL, tone: 'unknown', spoof: 'photo' };
    const checked = photo === false ? { spoof: 'real' as const } : {};
    // Not decided yet (its first embedding is on the way): a box without a label.
    if (identity.kind === 'pending') return { box, text: '', tone: 'neutral', ...checked };
    // A person deleted meanwhile is never named, even before the worker hears of it.
    const name = identity.kind === 'known' ? names.get(identity.personId) : undefined;
    if (identity.kind === 'known' && name) {
      return { box, text: `${name} · ${matchConfidence(identity.distance, threshold)}`, detail: matchDetail(identity.distance, threshold), tone: 'known', ...checked };
    }
    return { box, text: NOT_IN_DATABASE, tone: 'unknown', ...checked };
  });
}
