// Least-squares similarity transform (rotation, uniform scale, translation; never a reflection)
// between point sets: how a face's five landmarks are mapped onto an embedder's canonical template.
import type { Point } from './geometry.ts';

/** x' = a·x − b·y + tx ; y' = b·x + a·y + ty. Scale is hypot(a, b), rotation atan2(b, a). */
export interface Similarity {
  readonly a: number;
  readonly b: number;
  readonly tx: number;
  readonly ty: number;
}

export class AlignmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlignmentError';
  }
}

// Relative size of the smaller spread direction below which points count as on one line.
const COLLINEAR_RATIO = 1e-6;

/**
 * The similarity that best maps `from` onto `to` in the least-squares sense. In complex numbers
 * this is w ≈ c·z + t with c = Σ conj(z̃)·w̃ / Σ|z̃|² over centred points: closed form, no iteration.
 */
export function fitSimilarity(from: readonly Point[], to: readonly Point[]): Similarity {
  if (from.length !== to.length) throw new AlignmentError(`Need as many landmarks as template points (${from.length} vs ${to.length})`);
  if (from.length < 2) throw new AlignmentError('Need at least two landmarks to align a face');
  if (![...from, ...to].every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))) {
    throw new AlignmentError('Landmarks contain a non-finite coordinate');
  }
  const n = from.length;
  const mean = (ps: readonly Point[]) => ({
    x: ps.reduce((s, p) => s + p.x, 0) / n,
    y: ps.reduce((s, p) => s + p.y, 0) / n,
  });
  const mf = mean(from);
  const mt = mean(to);
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  let re = 0;
  let im = 0;
  for (let i = 0; i < n; i++) {
    const f = from[i] as Point;
    const t = to[i] as Point;
    const zx = f.x - mf.x;
    const zy = f.y - mf.y;
    const wx = t.x - mt.x;
    const wy = t.y - mt.y;
    sxx += zx * zx;
    syy += zy * zy;
    sxy += zx * zy;
    // conj(z)·w = (zx − i·zy)(wx + i·wy)
    re += zx * wx + zy * wy;
    im += zx * wy - zy * wx;
  }
  const spread = sxx + syy;
  if (spread <= 1e-12 * Math.max(1, Math.abs(mf.x), Math.abs(mf.y))) {
    throw new AlignmentError('Landmarks coincide: the face is too small or the detection failed');
  }
  // Eigenvalues of the 2×2 scatter matrix: a face's landmarks span two directions, a line spans one.
  const half = Math.sqrt(((sxx - syy) / 2) ** 2 + sxy * sxy);
  const small = spread / 2 - half;
  if (n > 2 && small / spread < COLLINEAR_RATIO) {
    throw new AlignmentError('Landmarks are collinear: they cannot be a face');
  }
  const a = re / spread;
  const b = im / spread;
  return { a, b, tx: mt.x - (a * mf.x - b * mf.y), ty: mt.y - (b * mf.x + a * mf.y) };
}

export function applySimilarity(s: Similarity, p: Point): Point {
  return { x: s.a * p.x - s.b * p.y + s.tx, y: s.b * p.x + s.a * p.y + s.ty };
}

export function invertSimilarity(s: Similarity): Similarity {
  const k = s.a * s.a + s.b * s.b;
  if (!(k > 0)) throw new AlignmentError('A similarity with zero scale has no inverse');
  const a = s.a / k;
  const b = -s.b / k;
  return { a, b, tx: -(a * s.tx - b * s.ty), ty: -(b * s.tx + a * s.ty) };
}

export function similarityScale(s: Similarity): number {
  return Math.hypot(s.a, s.b);
}

/** Rotation in radians (counter-clockwise in a y-up frame; clockwise on screen, where y points down). */
export function similarityRotation(s: Similarity): number {
  return Math.atan2(s.b, s.a);
}

/** Composes two similarities: first `inner`, then `outer`. */
export function composeSimilarity(outer: Similarity, inner: Similarity): Similarity {
  const a = outer.a * inner.a - outer.b * inner.b;
  const b = outer.b * inner.a + outer.a * inner.b;
  const t = applySimilarity(outer, { x: inner.tx, y: inner.ty });
  return { a, b, tx: t.x, ty: t.y };
}
