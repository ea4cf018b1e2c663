// Camera enrollment samples are earned: each prompt's pose must be reached, near-copies are refused, and
// a prompt that waits too long says so.
import { describe, expect, it } from 'vitest';
import { makeEmbedding } from '../../../src/domain/embedding.ts';
import { PoseGuide, POSE_STEPS, STEP_TIMEOUT_MS } from '../../../src/domain/pose-guide.ts';

const THRESHOLD = 1.1;
/** Unit vectors at angle `deg` in a plane: ‖a−b‖² = 2 − 2cos(Δ), so distinct faces are far apart. */
const face = (deg: number) => makeEmbedding('m', [Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180), 0]);

describe('PoseGuide', () => {
  it('takes the five samples of a head that turns both ways and nods both ways, in that order', () => {
    const guide = new PoseGuide(0, THRESHOLD);
    const poses = [[2, 8], [-12, 6], [14, 9], [1, 16], [0, -1]] as const;
    poses.forEach(([yawDeg, pitchDeg], i) => {
      const pose = { yawDeg, pitchDeg };
      expect(guide.judge(pose, face(i * 40), i * 1000)).toEqual({ kind: 'take' });
      guide.take(pose, face(i * 40), i * 1000);
    });
    expect(guide.taken).toBe(5);
    expect(guide.step).toBeNull();
  });

  it('takes one sample of a still photo, then waits, then says no turn was seen', () => {
    const guide = new PoseGuide(0, THRESHOLD);
    const still = { yawDeg: 3, pitchDeg: 9 };
    expect(guide.judge(still, face(0), 0)).toEqual({ kind: 'take' });
    guide.take(still, face(0), 0);
    expect(guide.step).toBe(POSE_STEPS[1]);
    expect(guide.judge(still, face(0.5), 5_000)).toEqual({ kind: 'wait', reason: 'pose' });
    expect(guide.judge(still, face(0.5), STEP_TIMEOUT_MS)).toEqual({ kind: 'timed-out', message: 'No turn of the head seen in 10 s.' });
  });

  it('refuses a turned frame that is a near-copy of a sample taken (the same picture again)', () => {
    const guide = new PoseGuide(0, THRESHOLD);
    guide.take({ yawDeg: 0, pitchDeg: 5 }, face(0), 0);
    // 2° apart: ‖a−b‖² ≈ 0.0012, under 5 % of the threshold.
    expect(guide.judge({ yawDeg: 10, pitchDeg: 5 }, face(2), 1000)).toEqual({ kind: 'wait', reason: 'duplicate' });
    expect(guide.judge({ yawDeg: 10, pitchDeg: 5 }, face(30), 1000)).toEqual({ kind: 'take' });
  });

  it('asks for the other side after a turn: the same side again does not count', () => {
    const guide = new PoseGuide(0, THRESHOLD);
    guide.take({ yawDeg: 0, pitchDeg: 5 }, face(0), 0);
    guide.take({ yawDeg: -10, pitchDeg: 5 }, face(40), 1);
    expect(guide.judge({ yawDeg: -15, pitchDeg: 5 }, face(80), 2)).toEqual({ kind: 'wait', reason: 'pose' });
    expect(guide.judge({ yawDeg: 9, pitchDeg: 5 }, face(80), 2)).toEqual({ kind: 'take' });
  });

  it('counts "the other side" from a reference that was itself a little turned', () => {
    const guide = new PoseGuide(0, THRESHOLD);
    guide.take({ yawDeg: 10, pitchDeg: 5 }, face(0), 0);
    guide.take({ yawDeg: -20, pitchDeg: 5 }, face(40), 1);
    // 12° back from the first turn is not enough; 18° back covers both sides, though not past the reference.
    expect(guide.judge({ yawDeg: -8, pitchDeg: 5 }, face(80), 2)).toEqual({ kind: 'wait', reason: 'pose' });
    expect(guide.judge({ yawDeg: -2, pitchDeg: 5 }, face(80), 2)).toEqual({ kind: 'take' });
  });

  it('keep-trying gives the prompt its time again', () => {
    const guide = new PoseGuide(0, THRESHOLD);
    guide.take({ yawDeg: 0, pitchDeg: 0 }, face(0), 0);
    expect(guide.judge({ yawDeg: 2, pitchDeg: 0 }, face(40), 100)).toEqual({ kind: 'wait', reason: 'pose' });
    expect(guide.expired(STEP_TIMEOUT_MS)).toBe(true);
    guide.restart(STEP_TIMEOUT_MS);
    expect(guide.expired(STEP_TIMEOUT_MS + 1)).toBe(false);
  });
});
