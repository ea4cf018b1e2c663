import { describe, expect, it } from 'vitest';
import { pixelBox } from '../../../src/domain/geometry.ts';
import type { TrackIdentity } from '../../../src/domain/face-tracking.ts';
import { NOT_IN_DATABASE, PHOTO_LABEL, recognitionLabels, similarityPercent } from '../../../src/ui/recognition-labels.ts';
import type { RecognizedFace } from '../../../src/worker/vision-client.ts';

const face = (identity: TrackIdentity, trackId = 1): RecognizedFace => ({ trackId, box: pixelBox(0, 0, 10, 10), identity, embedded: true });

describe('recognition labels', () => {
  const people = [{ id: 'p1', name: 'Ada', createdAt: 0, updatedAt: 0 }];

  it('names a known track with its similarity and calls an unknown one "Not in database"', () => {
    const [near, far] = recognitionLabels([face({ kind: 'known', personId: 'p1', distance: 0.01 }), face({ kind: 'unknown', nearestDistance: 1 }, 2)], people);
    expect(near).toMatchObject({ text: 'Ada · 100 %', tone: 'known' });
    expect(far).toMatchObject({ text: NOT_IN_DATABASE, tone: 'unknown' });
  });

  it('leaves an undecided track unlabelled rather than guessing', () => {
    const [label] = recognitionLabels([face({ kind: 'pending' })], people);
    expect(label).toMatchObject({ text: '', tone: 'neutral' });
  });

  it('never names someone who was deleted meanwhile', () => {
    const [label] = recognitionLabels([face({ kind: 'known', personId: 'p1', distance: 0.01 })], []);
    expect(label?.text).toBe(NOT_IN_DATABASE);
  });

  it('says "Photo?" instead of the name of a face judged a photo, and marks the faces judged real', () => {
    const known = { kind: 'known', personId: 'p1', distance: 0.01 } as const;
    const [photo, real, unchecked] = recognitionLabels([{ ...face(known), photo: true }, { ...face(known, 2), photo: false }, face(known, 3)], people);
    expect(photo).toMatchObject({ text: PHOTO_LABEL, tone: 'unknown', spoof: 'photo' });
    expect(real).toMatchObject({ text: 'Ada · 100 %', spoof: 'real' });
    expect(unchecked?.spoof).toBeUndefined();
  });

  it('reports similarity as cosine percent', () => {
    expect(similarityPercent(0)).toBe(100);
    expect(similarityPercent(1)).toBe(50);
    expect(similarityPercent(4)).toBe(0);
  });
});
