// Personalisation in Node on tfjs cpu: the head learns to ignore what does not tell people apart, is
// judged on held-out photos, and leaves no tensor behind.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeEmbedding } from '../../../src/domain/embedding.ts';
import type { Sample } from '../../../src/domain/matching.ts';
import { cannotPersonalise } from '../../../src/domain/head-validation.ts';
import { projectEmbedding } from '../../../src/domain/personal-head.ts';
import { DEFAULT_HEAD_TRAINING, HeadTrainer } from '../../../src/inference/head-training.ts';
import { Personalisation } from '../../../src/inference/personalisation.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Seeded normal numbers. */
function normals(seed: number): () => number {
  let s = seed;
  const uniform = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * Six people told apart by the first two dimensions only; the other six carry loud noise (lighting,
 * pose…) that swamps the identity in plain distances. A linear head can learn to turn it down.
 */
function people(seed: number): Sample[] {
  const n = normals(seed);
  const out: Sample[] = [];
  for (let p = 0; p < 6; p++) {
    const angle = (p / 6) * 2 * Math.PI;
    for (let k = 0; k < 5; k++) {
      const v = [Math.cos(angle) + 0.05 * n(), Math.sin(angle) + 0.05 * n(), ...Array.from({ length: 6 }, () => 0.55 * n())];
      out.push({ personId: `p${p}`, embedding: makeEmbedding('m', v) });
    }
  }
  return out;
}

const policy = { threshold: 0.3, minMargin: 0 };
const options = { ...DEFAULT_HEAD_TRAINING, steps: 200, identityPull: 0.001, learningRate: 0.02 };

describe('personalisation', () => {
  it('trains a head that names held-out photos better than the plain embeddings, and keeps it', () => {
    const tensors = tf.memory().numTensors;
    const run = new Personalisation('m', 8, people(7), policy, options);
    let progress = run.advance(0);
    const seen: number[] = [];
    while (progress.phase !== 'finished') {
      progress = run.advance(25);
      seen.push(progress.done);
    }
    run.dispose();
    const result = run.result();
    expect(seen.at(-1)).toBe(progress.total);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(result?.report.folds).toBe(5);
    expect(result?.report.after.namedRight).toBeGreaterThan(result?.report.before.namedRight ?? Infinity);
    expect(result?.report.after.strangersNamed).toBeLessThanOrEqual(result?.report.before.strangersNamed ?? -1);
    expect(result?.report.kept).toBe(true);
    // Fresh photos of the same people: nearer their own person through the head than without it.
    const fresh = people(99);
    const head = result?.head;
    if (!head) throw new Error('no head');
    const spread = (seenThrough: boolean) => {
      const vectors = fresh.map((s) => (seenThrough ? projectEmbedding(head, s.embedding) : s.embedding).vector);
      let same = 0;
      for (let i = 0; i < fresh.length; i += 5) {
        const a = vectors[i] as Float32Array;
        const b = vectors[i + 1] as Float32Array;
        same += a.reduce((s, x, k) => s + (x - (b[k] as number)) ** 2, 0);
      }
      return same;
    };
    expect(spread(true)).toBeLessThan(spread(false) * 0.7);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('starts at the identity and frees its tensors when dropped half way', () => {
    const tensors = tf.memory().numTensors;
    const trainer = new HeadTrainer('m', 8, people(3).map((s) => ({ personId: s.personId, vector: s.embedding.vector })), options);
    expect(Array.from(trainer.head().weights.slice(0, 9))).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const step = trainer.train(3);
    expect(step).toMatchObject({ step: 3, steps: 200 });
    expect(step.triplets).toBeGreaterThan(0);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('refuses sets it cannot judge: one person, or nobody with three photos', () => {
    const one = people(5).filter((s) => s.personId === 'p0');
    expect(cannotPersonalise(one)).toMatch(/two people/);
    const twoEach = people(5).filter((_, i) => i % 5 < 2);
    expect(() => new Personalisation('m', 8, twoEach, policy, options)).toThrow(/three or more samples/);
  });
});
