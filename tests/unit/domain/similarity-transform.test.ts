import { describe, expect, it } from 'vitest';
import {
  AlignmentError, applySimilarity, composeSimilarity, fitSimilarity, invertSimilarity, similarityRotation, similarityScale,
  type Similarity,
} from '../../../src/domain/similarity-transform.ts';
import type { Point } from '../../../src/domain/geometry.ts';

const face: Point[] = [
  { x: 30, y: 40 }, { x: 70, y: 40 }, { x: 50, y: 60 }, { x: 35, y: 80 }, { x: 65, y: 80 },
];

function moved(s: Similarity, points: Point[]): Point[] {
  return points.map((p) => applySimilarity(s, p));
}

function expectSimilarity(actual: Similarity, expected: Similarity): void {
  expect(actual.a).toBeCloseTo(expected.a, 9);
  expect(actual.b).toBeCloseTo(expected.b, 9);
  expect(actual.tx).toBeCloseTo(expected.tx, 7);
  expect(actual.ty).toBeCloseTo(expected.ty, 7);
}

describe('fitSimilarity', () => {
  it('recovers a pure translation', () => {
    const s = { a: 1, b: 0, tx: 12.5, ty: -7 };
    expectSimilarity(fitSimilarity(face, moved(s, face)), s);
  });

  it('recovers a pure rotation of 30 degrees', () => {
    const t = Math.PI / 6;
    const s = { a: Math.cos(t), b: Math.sin(t), tx: 0, ty: 0 };
    const fit = fitSimilarity(face, moved(s, face));
    expectSimilarity(fit, s);
    expect(similarityRotation(fit)).toBeCloseTo(t, 9);
  });

  it('recovers a uniform scale', () => {
    const s = { a: 2.5, b: 0, tx: 0, ty: 0 };
    const fit = fitSimilarity(face, moved(s, face));
    expectSimilarity(fit, s);
    expect(similarityScale(fit)).toBeCloseTo(2.5, 9);
  });

  it('recovers rotation, scale and translation together, and maps every point exactly', () => {
    const s = { a: 0.8 * Math.cos(-0.4), b: 0.8 * Math.sin(-0.4), tx: 100, ty: 3 };
    const target = moved(s, face);
    const fit = fitSimilarity(face, target);
    expectSimilarity(fit, s);
    moved(fit, face).forEach((p, i) => {
      expect(p.x).toBeCloseTo(target[i]?.x ?? NaN, 8);
      expect(p.y).toBeCloseTo(target[i]?.y ?? NaN, 8);
    });
  });

  it('is the least-squares fit when points are noisy: residuals are balanced around zero', () => {
    const s = { a: 1.2, b: 0.3, tx: 5, ty: 9 };
    const noise = [[0.5, -0.2], [-0.3, 0.4], [0.1, 0.1], [-0.4, -0.5], [0.1, 0.2]];
    const target = moved(s, face).map((p, i) => ({ x: p.x + (noise[i]?.[0] ?? 0), y: p.y + (noise[i]?.[1] ?? 0) }));
    const fit = fitSimilarity(face, target);
    const residuals = moved(fit, face).map((p, i) => ({ x: (target[i]?.x ?? 0) - p.x, y: (target[i]?.y ?? 0) - p.y }));
    expect(residuals.reduce((n, r) => n + r.x, 0)).toBeCloseTo(0, 9);
    expect(residuals.reduce((n, r) => n + r.y, 0)).toBeCloseTo(0, 9);
    // Any nudge of the parameters makes the squared error larger.
    const err = (q: Similarity) => moved(q, face).reduce((n, p, i) => n + (p.x - (target[i]?.x ?? 0)) ** 2 + (p.y - (target[i]?.y ?? 0)) ** 2, 0);
    for (const d of [{ a: 1e-3 }, { b: 1e-3 }, { tx: 1e-2 }, { ty: -1e-2 }]) expect(err({ ...fit, ...Object.fromEntries(Object.entries(d).map(([k, v]) => [k, fit[k as keyof Similarity] + v])) })).toBeGreaterThan(err(fit));
  });

  it('never reflects: a mirrored face gets a rotation, not a flip', () => {
    const mirrored = face.map((p) => ({ x: -p.x, y: p.y }));
    const fit = fitSimilarity(face, mirrored);
    // A reflection would map every point exactly; a similarity cannot, so the fit leaves most of the
    // points' left-right spread unexplained.
    const err = moved(fit, face).reduce((n, p, i) => n + (p.x - (mirrored[i]?.x ?? 0)) ** 2 + (p.y - (mirrored[i]?.y ?? 0)) ** 2, 0);
    const spread = mirrored.reduce((n, p) => n + p.x ** 2, 0) - mirrored.reduce((n, p) => n + p.x, 0) ** 2 / mirrored.length;
    expect(err).toBeGreaterThan(0.5 * spread);
  });

  it('inverts and composes', () => {
    const s = { a: 0.7, b: -0.2, tx: 4, ty: 8 };
    const id = composeSimilarity(invertSimilarity(s), s);
    expectSimilarity(id, { a: 1, b: 0, tx: 0, ty: 0 });
  });

  it('refuses coincident points', () => {
    const same = Array.from({ length: 5 }, () => ({ x: 10, y: 10 }));
    expect(() => fitSimilarity(same, face)).toThrow(AlignmentError);
    expect(() => fitSimilarity(same, face)).toThrow(/coincide/);
  });

  it('refuses collinear points', () => {
    const line = [0, 1, 2, 3, 4].map((i) => ({ x: i * 10, y: i * 5 }));
    expect(() => fitSimilarity(line, face)).toThrow(/collinear/);
  });

  it('refuses mismatched, too few or non-finite points', () => {
    expect(() => fitSimilarity(face.slice(0, 4), face)).toThrow(/as many landmarks/);
    expect(() => fitSimilarity(face.slice(0, 1), face.slice(0, 1))).toThrow(/at least two/);
    expect(() => fitSimilarity([{ x: NaN, y: 0 }, ...face.slice(1)], face)).toThrow(/non-finite/);
  });
});
