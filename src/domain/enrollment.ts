// Enrollment rules that camera and photo enrollment share (the camera's prompts are pose-guide.ts):
// whether a captured face may become a sample, and the look-alike warning ("looks like Ada — same
// person?").
import { judgeQuality, type FaceQuality, type QualityVerdict } from './quality-gates.ts';
import { decideIdentity, type Gallery, type MatchPolicy } from './matching.ts';
import type { Person } from './people.ts';
import type { Embedding } from './embedding.ts';
import { looksSpoofed, SPOOF_MESSAGE, type SpoofScores } from './anti-spoofing.ts';

/** What the gate needs of a captured face (the worker's CapturedSample is one). */
export interface EnrollmentCandidate {
  face: { spoof?: SpoofScores };
  embedding: Embedding;
  quality: FaceQuality;
}

export const SAMPLES_PER_ENROLLMENT = 5;

/** Quality gates, and for camera captures scored for spoofing, the anti-spoofing gate too. */
export function gate<C extends EnrollmentCandidate>(candidates: readonly C[]): { sample: C | null; verdict: QualityVerdict } {
  const first = candidates[0];
  const quality = judgeQuality(first ? first.quality : { faceCount: 0, faceSize: 0, yawDeg: 0, pitchDeg: 0, sharpness: 0, detectorScore: 0 });
  const spoofed = first?.face.spoof !== undefined && looksSpoofed(first.face.spoof);
  const verdict: QualityVerdict = spoofed ? { ok: false, problems: [...quality.problems, { problem: 'spoof', message: SPOOF_MESSAGE }] } : quality;
  return { sample: verdict.ok && first ? first : null, verdict };
}

/** The enrolled person (other than `self`) this sample would be taken for, if any. */
export function lookAlike(sample: { embedding: Embedding }, gallery: Gallery, policy: MatchPolicy, people: readonly Person[], self: string | null): Person | null {
  const ranked = gallery.rankPeople(sample.embedding).filter((r) => r.personId !== self);
  const decision = decideIdentity(ranked, { threshold: policy.threshold, minMargin: 0 });
  if (decision.kind !== 'known') return null;
  return people.find((p) => p.id === decision.personId) ?? null;
}
