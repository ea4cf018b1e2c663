// Trains a personal head (a linear map, started at the identity, output L2-normalised) on enrolled
// embeddings with the original app's triplet loss, α = 0.2, mining semi-hard triplets in every batch.
// A pull towards the identity keeps it close to the pretrained space, so it sharpens the user's own
// people without unlearning everyone else. Runs in steps, so a caller can show progress and cancel.
import * as tf from '@tensorflow/tfjs-core';
// Training needs the gradients, which tfjs-core alone does not register (inference never needs them).
import '#tf-gradients';
import type { PersonalHead } from '../domain/personal-head.ts';
import { TRIPLET_ALPHA, tripletLoss } from './triplet-loss.ts';

export interface HeadTrainingOptions {
  steps: number;
  learningRate: number;
  /** Weight of ‖W − I‖² + ‖b‖² in the loss. */
  identityPull: number;
  /** Samples per batch at most (whole people are drawn until it is full). */
  batchSize: number;
  alpha: number;
  seed: number;
}

export const DEFAULT_HEAD_TRAINING: HeadTrainingOptions = { steps: 200, learningRate: 0.002, identityPull: 10, batchSize: 256, alpha: TRIPLET_ALPHA, seed: 1 };

export interface TrainingSample {
  personId: string;
  vector: Float32Array;
}

export interface TrainingProgress {
  step: number;
  steps: number;
  /** Mean triplet loss of the last step's mined triplets (0 when the batch had none). */
  loss: number;
  /** Triplets mined in the last step. */
  triplets: number;
}

/** A small seeded generator (mulberry32), so a training run can be repeated exactly. */
function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** People with at least two samples: only they give anchor–positive pairs. */
export function trainablePeople(samples: readonly TrainingSample[]): number {
  const count = new Map<string, number>();
  for (const s of samples) count.set(s.personId, (count.get(s.personId) ?? 0) + 1);
  return [...count.values()].filter((n) => n >= 2).length;
}

/** Variable names must be unique in tfjs's engine. */
let trainers = 0;

export class HeadTrainer {
  private readonly weights: tf.Variable<tf.Rank.R2>;
  private readonly bias: tf.Variable<tf.Rank.R1>;
  private readonly identity: tf.Tensor2D;
  private readonly optimizer: tf.Optimizer;
  private readonly inputs: tf.Tensor2D;
  private readonly byPerson: number[][];
  private readonly random: () => number;
  private done = 0;

  constructor(private readonly modelId: string, private readonly dims: number, private readonly samples: readonly TrainingSample[], private readonly options: HeadTrainingOptions = DEFAULT_HEAD_TRAINING) {
    if (trainablePeople(samples) < 1 || new Set(samples.map((s) => s.personId)).size < 2) {
      throw new Error('Personalisation needs at least two people, one of them with two or more samples.');
    }
    const flat = new Float32Array(samples.length * dims);
    samples.forEach((s, i) => {
      if (s.vector.length !== dims) throw new TypeError(`A sample has ${s.vector.length} dims, the model ${dims}`);
      flat.set(s.vector, i * dims);
    });
    this.inputs = tf.tensor2d(flat, [samples.length, dims]);
    this.identity = tf.eye(dims);
    // Matches domain/personal-head: out = W·x + b, so with row vectors it is x·Wᵀ.
    const id = ++trainers;
    const start = { weights: tf.eye(dims), bias: tf.zeros<tf.Rank.R1>([dims]) };
    this.weights = tf.variable<tf.Rank.R2>(start.weights, true, `head-weights-${id}`);
    this.bias = tf.variable<tf.Rank.R1>(start.bias, true, `head-bias-${id}`);
    // The variables keep the data; the starting tensors themselves would otherwise stay counted.
    tf.dispose([start.weights, start.bias]);
    this.optimizer = tf.train.adam(options.learningRate);
    const groups = new Map<string, number[]>();
    samples.forEach((s, i) => groups.set(s.personId, [...(groups.get(s.personId) ?? []), i]));
    this.byPerson = [...groups.values()];
    this.random = seededRandom(options.seed);
  }

  private project(rows: tf.Tensor2D): tf.Tensor2D {
    const mapped = tf.add(tf.matMul(rows, this.weights, false, true), this.bias);
    return tf.div(mapped, tf.norm(mapped, 'euclidean', 1, true));
  }

  /** Whole people in random order until the batch is full. */
  private batch(): number[] {
    const order = this.byPerson.map((g) => ({ g, k: this.random() })).sort((a, b) => a.k - b.k).map((x) => x.g);
    const out: number[] = [];
    for (const g of order) {
      if (out.length + g.length > this.options.batchSize && out.length > 0) continue;
      out.push(...g);
    }
    return out;
  }

  /**
   * Semi-hard triplets (FaceNet): for each anchor–positive pair, the nearest negative that is still
   * farther than the positive but within α of it; failing that, the nearest negative farther than the
   * positive; failing that (every negative is nearer), the farthest negative, the gentlest hard case.
   */
  private mine(batch: number[]): [number[], number[], number[]] {
    const projected = tf.tidy(() => this.project(tf.gather(this.inputs, batch)));
    const e = projected.arraySync();
    projected.dispose();
    const owner = batch.map((i) => (this.samples[i] as TrainingSample).personId);
    const n = batch.length;
    const dist = (a: number, b: number) => {
      const x = e[a] as number[];
      const y = e[b] as number[];
      let dot = 0;
      for (let k = 0; k < x.length; k++) dot += (x[k] as number) * (y[k] as number);
      return 2 - 2 * dot;
    };
    const anchors: number[] = [];
    const positives: number[] = [];
    const negatives: number[] = [];
    for (let a = 0; a < n; a++) {
      for (let p = 0; p < n; p++) {
        if (p === a || owner[p] !== owner[a]) continue;
        const dap = dist(a, p);
        let semi = -1;
        let semiD = Infinity;
        let farther = -1;
        let fartherD = Infinity;
        let farthest = -1;
        let farthestD = -Infinity;
        for (let k = 0; k < n; k++) {
          if (owner[k] === owner[a]) continue;
          const dan = dist(a, k);
          if (dan > dap && dan < dap + this.options.alpha && dan < semiD) [semi, semiD] = [k, dan];
          if (dan > dap && dan < fartherD) [farther, fartherD] = [k, dan];
          if (dan > farthestD) [farthest, farthestD] = [k, dan];
        }
        const neg = semi >= 0 ? semi : farther >= 0 ? farther : farthest;
        if (neg < 0) continue;
        anchors.push(batch[a] as number);
        positives.push(batch[p] as number);
        negatives.push(batch[neg] as number);
      }
    }
    return [anchors, positives, negatives];
  }

  get finished(): boolean {
    return this.done >= this.options.steps;
  }

  get stepsDone(): number {
    return this.done;
  }

  /** Runs up to `count` more steps. */
  train(count: number): TrainingProgress {
    let loss = 0;
    let triplets = 0;
    for (let i = 0; i < count && !this.finished; i++) {
      const [a, p, n] = this.mine(this.batch());
      triplets = a.length;
      const ia = tf.tensor1d(a, 'int32');
      const ip = tf.tensor1d(p, 'int32');
      const ineg = tf.tensor1d(n, 'int32');
      const cost = this.optimizer.minimize(() => {
        const pull = tf.mul(this.options.identityPull, tf.add(tf.sum(tf.square(tf.sub(this.weights, this.identity))), tf.sum(tf.square(this.bias))));
        if (triplets === 0) return pull as tf.Scalar;
        const loss = tripletLoss(this.project(tf.gather(this.inputs, ia)), this.project(tf.gather(this.inputs, ip)), this.project(tf.gather(this.inputs, ineg)), this.options.alpha);
        return tf.add<tf.Scalar>(loss, pull);
      }, true, [this.weights, this.bias]);
      loss = cost ? (cost.dataSync()[0] ?? 0) : 0;
      cost?.dispose();
      tf.dispose([ia, ip, ineg]);
      this.done += 1;
    }
    return { step: this.done, steps: this.options.steps, loss, triplets };
  }

  head(): PersonalHead {
    return { modelId: this.modelId, dims: this.dims, weights: Float32Array.from(this.weights.dataSync()), bias: Float32Array.from(this.bias.dataSync()) };
  }

  dispose(): void {
    tf.dispose([this.weights, this.bias, this.identity, this.inputs]);
    this.optimizer.dispose();
  }
}
