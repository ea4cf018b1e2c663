import { describe, expect, it } from 'vitest';
import { pixelBox } from '../../../src/domain/geometry.ts';
import type { TrackIdentity } from '../../../src/domain/face-tracking.ts';
import { NOT_IN_DATABASE, PHOTO_LABEL, recognitionLabels } from '../../../src/ui/recognition-labels.ts';
import { matchConfidence } from '../../../src/domain/match-confidence.ts';
import type { RecognizedFace } from '../../../src/worker/protocol.ts';

const face = (identity: TrackIdentity, trackId = 1): RecognizedFace => ({ trackId, box: pixelBox(0, 0, 10, 10), identity, embedded: true });

describe('recognition labels', () => {
  const people = [{ id: 'p1', name: 'Ada', createdAt: 0, updatedAt: 0 }];

  it('names a known track with how sure it is and calls an unknown one "Not in database"', () => {
    const [near, far] = recognitionLabels([face({ kind: 'known', personId: 'p1', distance: 0.01 }), face({ kind: 'unknown', nearestDistance: 1 }, 2)], people, 0.1);
    expect(near).toMatchObject({ text: 'Ada · sure', tone: 'known', detail: 'distance 0.010, names up to 0.100' });
    expect(far).toMatchObject({ text: NOT_IN_DATABASE, tone: 'unknown' });
  });

  it('leaves an undecided track unlabelled rather than guessing', () => {
    const [label] = recognitionLabels([face({ kind: 'pending' })], people, 0.1);
    expect(label).toMatchObject({ text: '', tone: 'neutral' });
  });

  it('never names someone who was deleted meanwhile', () => {
    const [label] = recognitionLabels([face({ kind: 'known', personId: 'p1', distance: 0.01 })], [], 0.1);
    expect(label?.text).toBe(NOT_IN_DATABASE);
  });

  it('says "Photo?" instead of the name of a face judged a photo, and marks the faces judged real', () => {
    const known = { kind: 'known', personId: 'p1', distance: 0.01 } as const;
    const [photo, real, unchecked] = recognitionLabels([{ ...face(known), photo: true }, { ...face(known, 2), photo: false }, face(known, 3)], people, 0.1);
    expect(photo).toMatchObject({ text: PHOTO_LABEL, tone: 'unknown', spoof: 'photo' });
    expect(real).toMatchObject({ text: 'Ada · sure', spoof: 'real' });
    expect(unchecked?.spoof).toBeUndefined();
  });

  it('says "sure" well inside the threshold and "likely" in its last quarter, the same for every model', () => {
    // dlib's scale (threshold 0.11) and arcface's (1.15): the same words at the same share of the threshold.
    for (const threshold of [0.1123, 1.1481]) {
      expect(matchConfidence(0.5 * threshold, threshold)).toBe('sure');
      expect(matchConfidence(0.75 * threshold, threshold)).toBe('sure');
      expect(matchConfidence(0.9 * threshold, threshold)).toBe('likely');
    }
    const [likely] = recognitionLabels([face({ kind: 'known', personId: 'p1', distance: 1.05 })], people, 1.1481);
    expect(likely?.text).toBe('Ada · likely');
  });
});
