// Aligned crops → embeddings: warp every face onto the embedder's template, optionally add its mirror
// image (test-time flip), run one batch, L2-normalise, and average each face with its mirror.
import * as tf from '@tensorflow/tfjs-core';
import { averageEmbeddings, makeEmbedding, type Embedding } from '../domain/embedding.ts';
import type { FivePoints } from '../domain/geometry.ts';
import { alignmentFor, warpFace } from './face-warp.ts';
import type { FaceEmbedder } from './embedders/face-embedder.ts';

export interface EmbedOptions {
  /** Average with the mirrored face: kept per model only where LFW showed it helps. */
  flip: boolean;
}

/** [N, size, size, 3] aligned crops, float 0-255, for these faces. */
export function alignedCrops(embedder: FaceEmbedder, image: tf.Tensor3D, faces: readonly FivePoints[]): tf.Tensor4D {
  const { size, template } = embedder.spec;
  return tf.tidy(() => tf.concat(faces.map((p) => warpFace(image, alignmentFor(p, template), size)), 0));
}

/** Each face's embedding and, when `mirrored`, the embedding of its mirror image, from one batch. */
export async function embedFaceViews(
  embedder: FaceEmbedder,
  image: tf.Tensor3D,
  faces: readonly FivePoints[],
  mirrored: boolean,
): Promise<{ straight: Embedding; mirrored: Embedding | null }[]> {
  if (faces.length === 0) return [];
  const batch = tf.tidy(() => {
    const crops = alignedCrops(embedder, image, faces);
    return mirrored ? tf.concat([crops, tf.image.flipLeftRight(crops)], 0) : crops;
  });
  let raw: Float32Array[];
  try {
    raw = await embedder.embedBatch(batch);
  } finally {
    batch.dispose();
  }
  const id = embedder.spec.id;
  return faces.map((_, i) => ({
    straight: makeEmbedding(id, raw[i] as Float32Array),
    mirrored: mirrored ? makeEmbedding(id, raw[faces.length + i] as Float32Array) : null,
  }));
}

export async function embedFaces(
  embedder: FaceEmbedder,
  image: tf.Tensor3D,
  faces: readonly FivePoints[],
  options: EmbedOptions,
): Promise<Embedding[]> {
  const views = await embedFaceViews(embedder, image, faces, options.flip);
  return views.map((v) => (v.mirrored ? averageEmbeddings([v.straight, v.mirrored]) : v.straight));
}
