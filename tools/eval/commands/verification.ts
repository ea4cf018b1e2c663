// `eval lfw`: the standard LFW protocol on all 6,000 pairs with the production pipeline.
import * as tf from '@tensorflow/tfjs-core';
import { kFoldAccuracy, rocAuc, tarAtFar, type ScoredPair } from '../../../src/domain/verification-metrics.ts';
import { tripletLosses } from '../../../src/inference/triplet-loss.ts';
import type { EmbedderId } from '../../../src/domain/embedder-specs.ts';
import { probeVector, type FaceLookup, type FaceStore } from '../face-store.ts';
import type { PersonalHead } from '../../../src/domain/personal-head.ts';
import { readLfwPairs, type LfwPair } from '../pairs-file.ts';

export interface LfwVariantReport {
  flip: boolean;
  accuracy: number;
  accuracyStd: number;
  auc: number;
  tarAtFar1e2: number;
  tarAtFar1e3: number;
  /** Mean fitted threshold (squared distance) over the 10 folds. */
  threshold: number;
  tripletLoss: number;
  tripletViolationRate: number;
  triplets: number;
}

export interface LfwReport {
  model: EmbedderId;
  roll: number;
  pairs: number;
  images: number;
  imagesWithoutFace: number;
  imagesWithError: number;
  pairsWithMissedFace: number;
  variants: LfwVariantReport[];
}

function distance(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += ((a[i] as number) - (b[i] as number)) ** 2;
  return d;
}

const personOf = (path: string) => path.split('/').at(-2) ?? path;

type Side = 'a' | 'b';

/** LFW triplets: A and P from a same-person pair, N from the different-person pair of the same index. */
function triplets(pairs: readonly LfwPair[]): [string, Side][][] {
  const out: [string, Side][][] = [];
  for (const f of new Set(pairs.map((p) => p.fold))) {
    const same = pairs.filter((p) => p.fold === f && p.same);
    const diff = pairs.filter((p) => p.fold === f && !p.same);
    same.forEach((s, i) => {
      const d = diff[i];
      if (!d) return;
      const negative: [string, Side] = personOf(d.b) !== personOf(s.a) ? [d.b, 'b'] : [d.a, 'a'];
      out.push([[s.a, 'a'], [s.b, 'b'], negative]);
    });
  }
  return out;
}

/** Faces seen as the first (a) and second (b) image of a pair: the same map unless rolled. */
interface PairFaces {
  a: Map<string, FaceLookup>;
  b: Map<string, FaceLookup>;
}

function variant(model: EmbedderId, pairs: readonly LfwPair[], faces: PairFaces, flip: boolean, head?: PersonalHead): LfwVariantReport {
  const vec = (path: string, side: Side) => {
    const f = faces[side].get(path);
    return f?.kind === 'face' ? probeVector(f, flip, model, head).vector : undefined;
  };
  const scored: ScoredPair[] = pairs.map((p) => {
    const a = vec(p.a, 'a');
    const b = vec(p.b, 'b');
    return { distance: a && b ? distance(a, b) : Number.POSITIVE_INFINITY, same: p.same, fold: p.fold };
  });
  const acc = kFoldAccuracy(scored);
  const usable = triplets(pairs)
    .map((t) => t.map(([path, side]) => vec(path, side)))
    .filter((t): t is [Float32Array, Float32Array, Float32Array] => t.every(Boolean));
  let tripletLoss = Number.NaN;
  let violations = Number.NaN;
  if (usable.length) {
    const stack = (i: 0 | 1 | 2) => tf.tensor2d(usable.map((t) => Array.from(t[i])));
    const [a, p, n] = [stack(0), stack(1), stack(2)];
    const losses = tripletLosses(a, p, n);
    const values = Array.from(losses.dataSync());
    tripletLoss = values.reduce((s, v) => s + v, 0) / values.length;
    violations = values.filter((v) => v > 0).length / values.length;
    tf.dispose([a, p, n, losses]);
  }
  return {
    flip,
    accuracy: acc.mean,
    accuracyStd: acc.std,
    auc: rocAuc(scored),
    tarAtFar1e2: tarAtFar(scored, 1e-2).tar,
    tarAtFar1e3: tarAtFar(scored, 1e-3).tar,
    threshold: acc.thresholds.reduce((s, t) => s + t, 0) / acc.thresholds.length,
    tripletLoss,
    tripletViolationRate: violations,
    triplets: usable.length,
  };
}

export async function runLfw(store: FaceStore, opts: { pairsFile: string; imagesDir: string; model: EmbedderId; roll: number; folds?: number; head?: PersonalHead }): Promise<LfwReport> {
  // --folds N: only the first N folds (quick comparisons; the reported figures use all 10).
  const pairs = readLfwPairs(opts.pairsFile, opts.imagesDir).filter((p) => p.fold < (opts.folds ?? 10));
  const images = [...new Set(pairs.flatMap((p) => [p.a, p.b]))].sort();
  // --roll R turns the first image of every pair by +R° and the second by −R°.
  const a = await store.embedAll(images, opts.model, opts.roll);
  const b = opts.roll === 0 ? a : await store.embedAll(images, opts.model, -opts.roll);
  const seen = [...new Set(pairs.map((p) => a.get(p.a))), ...new Set(pairs.map((p) => b.get(p.b)))];
  const ok = (m: Map<string, FaceLookup>, path: string) => m.get(path)?.kind === 'face';
  const inputs = opts.roll === 0 ? images.map((i) => a.get(i)) : seen;
  return {
    model: opts.model,
    roll: opts.roll,
    pairs: pairs.length,
    images: inputs.length,
    imagesWithoutFace: inputs.filter((l) => l?.kind === 'no-face').length,
    imagesWithError: inputs.filter((l) => l?.kind === 'error').length,
    pairsWithMissedFace: pairs.filter((p) => !ok(a, p.a) || !ok(b, p.b)).length,
    variants: [variant(opts.model, pairs, { a, b }, false, opts.head), variant(opts.model, pairs, { a, b }, true, opts.head)],
  };
}

const pct = (v: number) => `${(v * 100).toFixed(2)} %`;

export function printLfw(r: LfwReport): void {
  console.log(`LFW ${r.pairs} pairs, model ${r.model}${r.roll ? `, roll ±${r.roll}°` : ''}`);
  console.log(`  images ${r.images}: ${r.imagesWithoutFace} without a detected face, ${r.imagesWithError} unreadable; ${r.pairsWithMissedFace} pairs affected`);
  for (const v of r.variants) {
    console.log(`  ${v.flip ? 'with flip   ' : 'without flip'}: accuracy ${pct(v.accuracy)} ± ${pct(v.accuracyStd)}, AUC ${v.auc.toFixed(5)}, ` +
      `TAR@FAR1e-2 ${pct(v.tarAtFar1e2)}, TAR@FAR1e-3 ${pct(v.tarAtFar1e3)}, threshold ${v.threshold.toFixed(3)}, ` +
      `triplet loss ${v.tripletLoss.toFixed(4)} (violations ${pct(v.tripletViolationRate)} of ${v.triplets})`);
  }
}
