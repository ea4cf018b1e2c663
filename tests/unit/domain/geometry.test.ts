import { describe, expect, it } from 'vitest';
import { mirrorBox, pixelBox } from '../../../src/domain/geometry.ts';
import { progressFraction, progressLabel } from '../../../src/domain/load-progress.ts';

describe('boxes', () => {
  it('mirrors a box across the image width', () => {
    expect(mirrorBox(pixelBox(10, 20, 100, 50), 640)).toEqual(pixelBox(530, 20, 100, 50));
    // Mirroring twice gives the original box back.
    const box = pixelBox(3, 4, 5, 6);
    expect(mirrorBox(mirrorBox(box, 40), 40)).toEqual(box);
  });

  it('refuses boxes that are not boxes', () => {
    expect(() => pixelBox(0, 0, -1, 5)).toThrow(RangeError);
    expect(() => pixelBox(Number.NaN, 0, 1, 5)).toThrow(RangeError);
  });
});

describe('load progress', () => {
  it('is a clamped fraction with a readable label', () => {
    expect(progressFraction(5, 10)).toBe(0.5);
    expect(progressFraction(20, 10)).toBe(1);
    expect(progressFraction(5, 0)).toBe(0);
    expect(progressLabel(2_500_000, 10_000_000)).toBe('2.5 MB of 10.0 MB (25 %)');
  });
});
