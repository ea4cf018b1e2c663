// The enrollment rules behind the Enroll screen: which captured face becomes a sample, the message shown
// for every quality-gate rejection, and the look-alike warning.
import { describe, expect, it } from 'vitest';
import { makeEmbedding } from '../../../src/domain/embedding.ts';
import { pixelBox } from '../../../src/domain/geometry.ts';
import { Gallery } from '../../../src/domain/matching.ts';
import type { FaceQuality } from '../../../src/domain/quality-gates.ts';
import { gate, lookAlike } from '../../../src/domain/enrollment.ts';
import { SPOOF_MESSAGE } from '../../../src/domain/anti-spoofing.ts';
import type { CapturedSample } from '../../../src/worker/protocol.ts';

const good: FaceQuality = { faceCount: 1, faceSize: 200, yawDeg: 0, pitchDeg: 0, sharpness: 20, detectorScore: 0.9 };
const point = { x: 0, y: 0 };
const captured = (quality: Partial<FaceQuality>, vector = [1, 0]): CapturedSample => ({
  face: { box: pixelBox(0, 0, 200, 200), score: 0.9, yaw: 0, pitch: 0, points: { leftEye: point, rightEye: point, nose: point, mouthLeft: point, mouthRight: point } },
  embedding: makeEmbedding('m', vector),
  quality: { ...good, ...quality },
  thumbnail: new Blob(),
});

describe('enrollment gate', () => {
  it('takes a good face as a sample', () => {
    const c = captured({});
    expect(gate([c])).toEqual({ sample: c, verdict: { ok: true, problems: [] } });
  });

  it.each([
    [[], 'No face found — look at the camera.'],
    [[captured({ faceCount: 2 }), captured({ faceCount: 2 })], '2 faces in view — only the person enrolling should be visible.'],
    [[captured({ faceSize: 80 })], 'Face too small (80 px, needs 112) — come closer.'],
    [[captured({ yawDeg: 45 })], 'Head turned 45° — turn a little towards the camera.'],
    [[captured({ pitchDeg: -30 })], 'Head tilted 30° up or down — look straight ahead.'],
    [[captured({ sharpness: 1 })], 'Image blurred — hold still or add light.'],
    [[captured({ detectorScore: 0.4 })], 'Face not clearly visible — improve the light.'],
  ])('refuses and says exactly what the screen shows (%#)', (candidates, message) => {
    const { sample, verdict } = gate(candidates);
    expect(sample).toBeNull();
    expect(verdict.problems.map((p) => p.message)).toEqual([message]);
  });

  it('refuses a camera capture scored as a photo or screen, and takes one scored as real', () => {
    const scored = (person: number): CapturedSample => {
      const c = captured({});
      return { ...c, face: { ...c.face, spoof: { person } } };
    };
    expect(gate([scored(0.01)])).toMatchObject({ sample: null, verdict: { ok: false, problems: [{ problem: 'spoof', message: SPOOF_MESSAGE }] } });
    const real = scored(0.9);
    expect(gate([real]).sample).toBe(real);
  });
});

describe('look-alike warning', () => {
  const gallery = new Gallery('m', 2, [
    { personId: 'ada', embedding: makeEmbedding('m', [1, 0]) },
    { personId: 'eve', embedding: makeEmbedding('m', [0, 1]) },
  ]);
  const people = [{ id: 'ada', name: 'Ada', createdAt: 0, updatedAt: 0 }, { id: 'eve', name: 'Eve', createdAt: 0, updatedAt: 0 }];
  const policy = { threshold: 0.2, minMargin: 0.1 };

  it('warns when a new person looks like someone enrolled', () => {
    expect(lookAlike(captured({}, [1, 0.05]), gallery, policy, people, null)?.name).toBe('Ada');
  });

  it('does not warn about the person being added to, nor about a stranger', () => {
    expect(lookAlike(captured({}, [1, 0.05]), gallery, policy, people, 'ada')).toBeNull();
    expect(lookAlike(captured({}, [-1, -1]), gallery, policy, people, null)).toBeNull();
  });
});
