// Face embeddings: L2-normalised vectors tagged with the model that made them, and the distance the
// original app used, ‖f(x1) − f(x2)‖², which on unit vectors is 2 − 2·cos and lies in [0, 4].

declare const embeddingBrand: unique symbol;
/** A unit-length embedding of one face by one model. Vectors of different models must never meet. */
export type Embedding = {
  readonly modelId: string;
  readonly vector: Float32Array;
} & { readonly [embeddingBrand]: true };

export function l2Normalize(v: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) ** 2;
  const norm = Math.sqrt(sum);
  if (!(norm > 0) || !Number.isFinite(norm)) throw new RangeError('Cannot normalise a zero or non-finite vector');
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) / norm;
  return out;
}

export function makeEmbedding(modelId: string, raw: ArrayLike<number>): Embedding {
  return { modelId, vector: l2Normalize(raw) } as Embedding;
}

/** Test-time flip: the embedding of the face and of its mirror image, averaged, then renormalised. */
export function averageEmbeddings(parts: readonly Embedding[]): Embedding {
  const first = parts[0];
  if (!first) throw new RangeError('Nothing to average');
  const sum = new Float32Array(first.vector.length);
  for (const e of parts) {
    assertSameSpace(first, e);
    for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (e.vector[i] as number);
  }
  return makeEmbedding(first.modelId, sum);
}

export function assertSameSpace(a: Embedding, b: Embedding): void {
  if (a.modelId !== b.modelId) throw new TypeError(`Embeddings of ${a.modelId} and ${b.modelId} cannot be compared`);
  if (a.vector.length !== b.vector.length) throw new TypeError(`Embedding lengths differ (${a.vector.length} vs ${b.vector.length})`);
}

/** ‖a − b‖² on unit vectors. */
export function squaredDistance(a: Embedding, b: Embedding): number {
  assertSameSpace(a, b);
  let d = 0;
  for (let i = 0; i < a.vector.length; i++) d += ((a.vector[i] as number) - (b.vector[i] as number)) ** 2;
  return d;
}
