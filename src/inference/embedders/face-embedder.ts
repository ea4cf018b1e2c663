// What every embedder offers: aligned crops in, raw (not yet normalised) vectors out.
import type * as tf from '@tensorflow/tfjs-core';
import type { EmbedderSpec } from '../../domain/embedder-specs.ts';

export interface FaceEmbedder {
  readonly spec: EmbedderSpec;
  /** @param crops [N, size, size, 3] float32 RGB 0-255, aligned to `spec.template`. */
  embedBatch(crops: tf.Tensor4D): Promise<Float32Array[]>;
  dispose(): void;
}

/** Splits an [N, D] result into N vectors and frees the tensor. */
export async function rowsOf(out: tf.Tensor2D): Promise<Float32Array[]> {
  const [n, d] = out.shape;
  const flat = (await out.data()) as Float32Array;
  out.dispose();
  return Array.from({ length: n }, (_, i) => flat.slice(i * d, (i + 1) * d));
}
