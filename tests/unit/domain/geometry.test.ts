import { describe, expect, it } from 'vitest';
import { mirrorBox, pixelBox, shrinkStep } from '../../../src/domain/geometry.ts';
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

describe('shrinking a large photo for detection', () => {
  it('keeps a photo that fits, and shrinks a larger one by the smallest whole step that fits', () => {
    expect(shrinkStep(1920, 1280, 2048)).toBe(1);
    expect(shrinkStep(2048, 2048, 2048)).toBe(1);
    expect(shrinkStep(4032, 3024, 2048)).toBe(2);
    expect(shrinkStep(6048, 8064, 2048)).toBe(4); // portrait: the longer side counts
    expect(shrinkStep(16_320, 12_240, 2048)).toBe(8);
    expect(shrinkStep(1, 1, 2048)).toBe(1);
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

describe('overlapping detections', () => {
  it('measures overlap as IoU', async () => {
    const { iou } = await import('../../../src/domain/geometry.ts');
    expect(iou(pixelBox(0, 0, 10, 10), pixelBox(0, 0, 10, 10))).toBe(1);
    expect(iou(pixelBox(0, 0, 10, 10), pixelBox(5, 0, 10, 10))).toBeCloseTo(50 / 150, 9);
    expect(iou(pixelBox(0, 0, 10, 10), pixelBox(20, 0, 10, 10))).toBe(0);
  });

  it('keeps one face where the detector reported the same face twice, and keeps separate faces', async () => {
    const { suppressOverlaps } = await import('../../../src/domain/geometry.ts');
    const a = { box: pixelBox(162, 60, 307, 307), score: 0.8 };
    const twin = { box: pixelBox(165, 61, 309, 308), score: 0.9 };
    const other = { box: pixelBox(500, 60, 100, 100), score: 0.6 };
    expect(suppressOverlaps([a, twin, other])).toEqual([twin, other]);
  });

  it('drops a small weak box lying largely inside a face (hair above a head), keeps faces side by side', async () => {
    const { suppressOverlaps, coveredShare } = await import('../../../src/domain/geometry.ts');
    // Measured on the live clip: the real face and the phantom blazeface found in the hair above it.
    const face = { box: pixelBox(160, 66, 302, 302), score: 0.78 };
    const hair = { box: pixelBox(184, 0, 122, 106), score: 0.55 };
    expect(coveredShare(hair.box, face.box)).toBeCloseTo(0.38, 2);
    expect(suppressOverlaps([hair, face])).toEqual([face]);
    // Two people cheek to cheek: a tenth of the smaller face overlaps; both stay.
    const left = { box: pixelBox(100, 100, 200, 200), score: 0.9 };
    const right = { box: pixelBox(280, 120, 180, 180), score: 0.7 };
    expect(coveredShare(right.box, left.box)).toBeLessThan(0.3);
    expect(suppressOverlaps([left, right])).toEqual([left, right]);
    // A packed crowd: neighbours of one size overlapping by 40 % of a box all stay.
    const packed = [0, 1, 2].map((i) => ({ box: pixelBox(i * 60, 0, 100, 100), score: 0.9 - i * 0.1 }));
    expect(coveredShare((packed[1] as (typeof packed)[number]).box, (packed[0] as (typeof packed)[number]).box)).toBeCloseTo(0.4, 5);
    expect(suppressOverlaps(packed)).toEqual(packed);
  });
});
