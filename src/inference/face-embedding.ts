// Aligned crops → embeddings: warp every face onto the embedder's template, optionally add its mirror
// image (test-time flip), run one batch, L2-normalise, and average each face with its mirror.
import * as tf from '@tensorflow/tfjs-core';
import { averageEmbeddings, makeEmbedding, type Embedding } from '../domain/embedding.ts';
import type { FivePoints, PixelArea } from '../domain/geometry.ts';
import { alignmentFor, warpFace, warpFootprint } from './face-warp.ts';
import type { FaceEmbedder } from './embedders/face-embedder.ts';

export interface EmbedOptions {
  /** Average with the mirrored face: kept per model only where LFW showed it helps. */
  flip: boolean;
}

/**
 * The smallest rectangle of a width×height image holding every pixel these faces' aligned crops can see,
 * or null when none sees any. Embedding from just that rectangle (points shifted by its corner) gives the
 * same embeddings as from the whole image: the crops slice and pool the same pixels from the same origin.
 */
export function cropsArea(embedder: FaceEmbedder, faces: readonly FivePoints[], width: number, height: number): PixelArea | null {
  const { size, template } = embedder.spec;
  let area: { x0: number; y0: number; x1: number; y1: number } | null = null;
  for (const p of faces) {
    const f = warpFootprint(alignmentFor(p, template), size, width, height);
    if (f.x1 - f.x0 < f.k || f.y1 - f.y0 < f.k) continue;
    area = area ? { x0: Math.min(area.x0, f.x0), y0: Math.min(area.y0, f.y0), x1: Math.max(area.x1, f.x1), y1: Math.max(area.y1, f.y1) } : f;
  }
  return area && { x: area.x0, y: area.y0, width: area.x1 - area.x0, height: area.y1 - area.y0 };
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
