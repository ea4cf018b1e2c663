// The aligned face kept with every enrolled sample: a generous 224×224 crop with the five points at a
// fixed template, so any embedder can re-embed it later by warping from those known points.
import * as tf from '@tensorflow/tfjs-core';
import type { FivePoints, PixelArea, Point } from '../domain/geometry.ts';
import { EMBEDDERS } from './embedder-specs.ts';
import { alignmentFor, warpFace, warpFootprint } from './face-warp.ts';

export const STORED_FACE_SIZE = 224;
/** The widest of the embedder templates (faceres'), so every other crop lies inside it. */
export const STORED_FACE_TEMPLATE: readonly Point[] = EMBEDDERS.faceres.template;

export const STORED_FACE_POINTS: FivePoints = {
  leftEye: STORED_FACE_TEMPLATE[0] as Point,
  rightEye: STORED_FACE_TEMPLATE[1] as Point,
  nose: STORED_FACE_TEMPLATE[2] as Point,
  mouthLeft: STORED_FACE_TEMPLATE[3] as Point,
  mouthRight: STORED_FACE_TEMPLATE[4] as Point,
};

/** [224, 224, 3] float 0-255. */
export function storedFaceCrop(image: tf.Tensor3D, points: FivePoints): tf.Tensor3D {
  return tf.tidy(() => tf.squeeze<tf.Tensor3D>(warpFace(image, alignmentFor(points, STORED_FACE_TEMPLATE), STORED_FACE_SIZE), [0]));
}

/** The part of a width × height image the stored face is made from; null when it lies outside. */
export function storedFaceArea(points: FivePoints, width: number, height: number): PixelArea | null {
  const f = warpFootprint(alignmentFor(points, STORED_FACE_TEMPLATE), STORED_FACE_SIZE, width, height);
  return f.x1 - f.x0 < f.k || f.y1 - f.y0 < f.k ? null : { x: f.x0, y: f.y0, width: f.x1 - f.x0, height: f.y1 - f.y0 };
}

/** Variance of the Laplacian of the grey face: the usual focus measure (low = blurred). */
export function sharpnessOf(crop: tf.Tensor3D): number {
  return tf.tidy(() => {
    const grey = tf.reshape<tf.Rank.R4>(tf.mean(crop, 2), [1, crop.shape[0], crop.shape[1], 1]);
    const kernel = tf.tensor4d([0, 1, 0, 1, -4, 1, 0, 1, 0], [3, 3, 1, 1]);
    const lap = tf.conv2d(grey, kernel, 1, 'valid');
    const { variance } = tf.moments(lap);
    return variance.dataSync()[0] ?? 0;
  });
}
