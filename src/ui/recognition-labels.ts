// Turns analysed faces into what the overlay and the live list say: a name with its similarity, or
// "Not in database".
import { decideIdentity, type Gallery, type MatchPolicy } from '../domain/matching.ts';
import type { Person } from '../domain/people.ts';
import type { AnalyzedFace } from '../worker/vision-client.ts';
import type { OverlayFace } from './overlay.ts';

export const NOT_IN_DATABASE = 'Not in database';

/** Cosine similarity of unit vectors from their squared distance, as a percentage people can read. */
export function similarityPercent(squaredDistance: number): number {
  return Math.round(Math.max(0, Math.min(1, 1 - squaredDistance / 2)) * 100);
}

export function recognitionLabels(faces: readonly AnalyzedFace[], gallery: Gallery, policy: MatchPolicy, people: readonly Person[]): OverlayFace[] {
  const names = new Map(people.map((p) => [p.id, p.name]));
  return faces.map((face) => {
    if (!face.embedding) return { box: face.box, text: '', tone: 'neutral' };
    const decision = decideIdentity(gallery.nearestTwo(face.embedding), policy);
    const name = decision.kind === 'known' ? names.get(decision.personId) : undefined;
    if (decision.kind === 'known' && name) {
      return { box: face.box, text: `${name} · ${similarityPercent(decision.distance)} %`, tone: 'known' };
    }
    return { box: face.box, text: NOT_IN_DATABASE, tone: 'unknown' };
  });
}
