import { describe, expect, it } from 'vitest';
import { judgeQuality, type FaceQuality } from '../../../src/domain/quality-gates.ts';
import { cleanName } from '../../../src/domain/people.ts';

const good: FaceQuality = { faceCount: 1, faceSize: 200, yawDeg: 5, pitchDeg: -4, sharpness: 150, detectorScore: 0.95 };

describe('quality gates', () => {
  it('accepts a good frontal face', () => {
    expect(judgeQuality(good)).toEqual({ ok: true, problems: [] });
  });

  it.each([
    [{ faceCount: 0 }, 'no-face', /No face/],
    [{ faceCount: 2 }, 'several-faces', /2 faces/],
    [{ faceSize: 90 }, 'too-small', /90 px, needs 112/],
    [{ yawDeg: -40 }, 'turned', /turned 40°/],
    [{ pitchDeg: 35 }, 'tilted', /tilted 35°/],
    [{ sharpness: 1 }, 'blurred', /blurred/],
    [{ detectorScore: 0.3 }, 'unclear', /not clearly visible/],
  ] as const)('rejects %o as %s, saying why', (change, problem, message) => {
    const verdict = judgeQuality({ ...good, ...change });
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.map((p) => p.problem)).toEqual([problem]);
    expect(verdict.problems[0]?.message).toMatch(message);
  });

  it('lists every problem at once', () => {
    const verdict = judgeQuality({ ...good, faceSize: 50, sharpness: 0.5 });
    expect(verdict.problems.map((p) => p.problem)).toEqual(['too-small', 'blurred']);
    // The floor is the embedders' own input (112 px): a face one pixel smaller is refused, that size is not.
    expect(judgeQuality({ ...good, faceSize: 111 }).problems.map((p) => p.problem)).toEqual(['too-small']);
    expect(judgeQuality({ ...good, faceSize: 112 }).ok).toBe(true);
  });
});

describe('names', () => {
  it('are trimmed and kept as typed, markup included (they are only ever shown as text)', () => {
    expect(cleanName('  Ada   Lovelace ')).toEqual({ ok: true, name: 'Ada Lovelace' });
    expect(cleanName('<img src=x onerror=alert(1)>')).toEqual({ ok: true, name: '<img src=x onerror=alert(1)>' });
    expect(cleanName('مريم 👩‍🔬')).toEqual({ ok: true, name: 'مريم 👩‍🔬' });
  });

  it('refuses empty and over-long names with a message', () => {
    expect(cleanName('   ')).toMatchObject({ ok: false, message: 'Type a name first.' });
    expect(cleanName('x'.repeat(10_000))).toMatchObject({ ok: false });
  });
});
