import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { tripletLoss, tripletLosses } from '../../../src/inference/triplet-loss.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The formula, written out by hand: mean of max(‖a−p‖² − ‖a−n‖² + α, 0). */
function byFormula(a: number[][], p: number[][], n: number[][], alpha: number): number {
  const sq = (x: number[], y: number[]) => x.reduce((s, v, i) => s + (v - (y[i] ?? 0)) ** 2, 0);
  const losses = a.map((ai, i) => Math.max(sq(ai, p[i] ?? []) - sq(ai, n[i] ?? []) + alpha, 0));
  return losses.reduce((s, l) => s + l, 0) / losses.length;
}

describe('triplet loss', () => {
  it('uses α = 0.2 by default, as the original FaceNet model did', () => {
    // ‖a−p‖² = 0 and ‖a−n‖² = 0.05² + 0.0975 = 0.1: the loss is α − 0.1, which is 0.1 only for α = 0.2.
    const a = tf.tensor2d([[1, 0]]);
    const n = tf.tensor2d([[0.95, Math.sqrt(0.0975)]]);
    expect(tripletLoss(a, a, n).dataSync()[0]).toBeCloseTo(0.1, 6);
  });

  it('equals the formula on a batch that mixes satisfied and violated triplets', () => {
    const a = [[1, 0, 0], [0, 1, 0], [0.6, 0.8, 0], [0, 0, 1]];
    const p = [[0.9, 0.1, 0], [0, 0, 1], [0.6, 0.7, 0.1], [0, 0.1, 0.9]];
    const n = [[0, 1, 0], [0, 1, 0.1], [0.5, 0.8, 0.1], [1, 0, 0]];
    for (const alpha of [0.2, 0, 0.5]) {
      const loss = tripletLoss(tf.tensor2d(a), tf.tensor2d(p), tf.tensor2d(n), alpha);
      expect(loss.dataSync()[0]).toBeCloseTo(byFormula(a, p, n, alpha), 6);
    }
    const each = tripletLosses(tf.tensor2d(a), tf.tensor2d(p), tf.tensor2d(n));
    const values = Array.from(each.dataSync());
    expect(values[0]).toBe(0); // positive much closer than negative: no loss
    expect(values[1]).toBeGreaterThan(0.2); // positive farther than negative: violated
  });

  it('is zero exactly when every negative is farther than its positive by at least α', () => {
    const a = tf.tensor2d([[1, 0]]);
    const p = tf.tensor2d([[1, 0]]);
    const n = tf.tensor2d([[Math.cos(0.5), Math.sin(0.5)]]); // ‖a−n‖² ≈ 0.245 > α
    expect(tripletLoss(a, p, n).dataSync()[0]).toBe(0);
    const near = tf.tensor2d([[Math.cos(0.3), Math.sin(0.3)]]); // ‖a−n‖² ≈ 0.089 < α
    expect(tripletLoss(a, p, near).dataSync()[0]).toBeCloseTo(0.2 - 2 * (1 - Math.cos(0.3)), 6);
  });
});
