// A personal head: a linear map learnt (with the triplet loss) on the user's own enrolled samples, applied
// to every embedding of its model before matching, then renormalised. Identity when untrained.
import { makeEmbedding, type Embedding } from './embedding.ts';

export interface PersonalHead {
  modelId: string;
  dims: number;
  /** dims × dims, row-major: out[i] = Σ_j weights[i·dims + j]·in[j] + bias[i]. */
  weights: Float32Array;
  bias: Float32Array;
}

export function identityHead(modelId: string, dims: number): PersonalHead {
  const weights = new Float32Array(dims * dims);
  for (let i = 0; i < dims; i++) weights[i * dims + i] = 1;
  return { modelId, dims, weights, bias: new Float32Array(dims) };
}

/** Whether a head fits a model's embeddings and holds only finite numbers (it may come from storage or a file). */
export function validHead(head: PersonalHead, modelId: string, dims: number): boolean {
  return head.modelId === modelId && head.dims === dims && head.weights.length === dims * dims && head.bias.length === dims
    && head.weights.every(Number.isFinite) && head.bias.every(Number.isFinite);
}

/** The embedding seen through the head, unit length again. */
export function projectEmbedding(head: PersonalHead, e: Embedding): Embedding {
  if (e.modelId !== head.modelId || e.vector.length !== head.dims) {
    throw new TypeError(`A ${head.modelId} head cannot take a ${e.vector.length}-d ${e.modelId} embedding`);
  }
  const d = head.dims;
  const out = new Float64Array(d);
  const w = head.weights;
  const v = e.vector;
  for (let i = 0; i < d; i++) {
    let sum = head.bias[i] as number;
    const row = i * d;
    for (let j = 0; j < d; j++) sum += (w[row + j] as number) * (v[j] as number);
    out[i] = sum;
  }
  return makeEmbedding(e.modelId, out);
}
