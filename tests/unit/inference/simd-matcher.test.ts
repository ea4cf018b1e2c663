// The WebAssembly SIMD hot loop: its bytes are the compiled .wat source, and a gallery using it decides
// exactly as the plain loop does (same people, distances within float32 rounding).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeEmbedding, type Embedding } from '../../../src/domain/embedding.ts';
import { Gallery, type Sample } from '../../../src/domain/matching.ts';
import { BEST_DOTS_WASM } from '../../../src/inference/matcher/matcher-bytes.ts';
import { simdBestDots } from '../../../src/inference/matcher/simd-matcher.ts';
import { compileMatcher } from '../../../tools/matcher-compile.ts';

function randomUnit(seed: number, dims: number): Embedding {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return makeEmbedding('m', Float32Array.from({ length: dims }, next));
}

const samplesOf = (n: number, dims: number): Sample[] => Array.from({ length: n }, (_, i) => ({ personId: `p${i % 397}`, embedding: randomUnit(i + 1, dims) }));

describe('SIMD matcher', () => {
  it('ships the bytes its WebAssembly text compiles to (npm run build:matcher)', async () => {
    const wat = readFileSync(resolve(import.meta.dirname, '../../../src/inference/matcher/best-dots.wat'), 'utf8');
    expect(Buffer.from(await compileMatcher(wat)).toString('base64')).toBe(BEST_DOTS_WASM);
  });

  it.each([128, 256, 1024])('names the same two nearest people as the plain loop (%i-d)', (dims) => {
    const samples = samplesOf(2_000, dims);
    const plain = new Gallery('m', dims, samples);
    const simd = new Gallery('m', dims, samples, null, false, simdBestDots);
    for (let k = 0; k < 40; k++) {
      // Half the probes are near an enrolled sample, as real ones are.
      const probe = k % 2 ? randomUnit(1e6 + k, dims) : makeEmbedding('m', (samples[k * 37]?.embedding.vector ?? new Float32Array(dims)).map((x, i) => x + (i % 3) * 0.01));
      const a = plain.nearestTwo(probe);
      const b = simd.nearestTwo(probe);
      expect(b.map((r) => r.personId)).toEqual(a.map((r) => r.personId));
      b.forEach((r, i) => expect(r.distance).toBeCloseTo(a[i]?.distance ?? NaN, 5));
    }
    expect(simd.rankPeople(randomUnit(7, dims)).slice(0, 5).map((r) => r.personId)).toEqual(plain.rankPeople(randomUnit(7, dims)).slice(0, 5).map((r) => r.personId));
  });

  it('declines widths it cannot run (the gallery keeps the plain loop) and empty galleries', () => {
    expect(simdBestDots(new Float32Array(6), 3, new Int32Array(2), 1)).toBeNull();
    expect(simdBestDots(new Float32Array(0), 128, new Int32Array(0), 0)).toBeNull();
    const g = new Gallery('m', 3, [{ personId: 'a', embedding: makeEmbedding('m', [1, 0, 0]) }], null, false, simdBestDots);
    expect(g.nearestTwo(makeEmbedding('m', [1, 0, 0]))[0]).toEqual({ personId: 'a', distance: 0 });
  });
});
