// The stillness test: block-averaged grey thumbnails and their mean difference.
import { describe, expect, it } from 'vitest';
import { greyThumbnail, meanAbsDifference } from '../../../src/domain/motion.ts';

/** A w×h RGB image from a grey-level function, optionally with ±noise (deterministic). */
function image(w: number, h: number, grey: (x: number, y: number) => number, noise = 0, seed = 7): Float32Array {
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const rgb = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) rgb[(y * w + x) * 3 + c] = grey(x, y) + noise * rand();
  return rgb;
}

describe('motion', () => {
  it('averages blocks of grey', () => {
    const t = greyThumbnail(image(16, 8, (x) => (x < 8 ? 0 : 200)), 16, 8, 8);
    expect(Array.from(t)).toEqual([0, expect.closeTo(200, 3) as number]);
  });

  it('calls sensor noise still and a moving edge motion', () => {
    const scene = (shift: number) => (x: number, y: number) => (x + shift > 80 && y > 20 && y < 100 ? 220 : 40);
    const a = greyThumbnail(image(160, 120, scene(0), 6), 160, 120, 8);
    const noisy = greyThumbnail(image(160, 120, scene(0), 6, 99), 160, 120, 8);
    const moved = greyThumbnail(image(160, 120, scene(12), 6, 31), 160, 120, 8);
    const still = meanAbsDifference(a, noisy);
    expect(still).toBeGreaterThan(0);
    expect(still).toBeLessThan(1);
    expect(meanAbsDifference(a, moved)).toBeGreaterThan(4);
  });

  it('treats different sizes as changed', () => {
    expect(meanAbsDifference(new Float32Array(4), new Float32Array(6))).toBe(Number.POSITIVE_INFINITY);
  });
});
