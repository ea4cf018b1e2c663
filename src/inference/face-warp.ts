// Warps a face out of an image onto an embedder's template with a five-point similarity transform,
// on tensors, anti-aliased when the face is much larger than the model's input.
import * as tf from '@tensorflow/tfjs-core';
import type { FivePoints, Point } from '../domain/geometry.ts';
import { applySimilarity, fitSimilarity, invertSimilarity, similarityScale, type Similarity } from '../domain/similarity-transform.ts';

export function pointList(p: FivePoints): Point[] {
  return [p.leftEye, p.rightEye, p.nose, p.mouthLeft, p.mouthRight];
}

/** The image→crop similarity for these landmarks and template. */
export function alignmentFor(points: FivePoints, template: readonly Point[]): Similarity {
  return fitSimilarity(pointList(points), template);
}

/**
 * The part of a width×height image the crop can see: its corners mapped back into the image, padded for
 * the bilinear sample and the anti-alias pooling (k), clamped to the image. Empty when it lies outside.
 */
export function warpFootprint(toCrop: Similarity, size: number, width: number, height: number): { x0: number; y0: number; x1: number; y1: number; k: number } {
  // Shrinking by k or more: average k×k blocks first so the bilinear sample does not alias.
  const k = Math.max(1, Math.floor(1 / similarityScale(toCrop)));
  const toSource = invertSimilarity(toCrop);
  const corners = [{ x: 0, y: 0 }, { x: size, y: 0 }, { x: 0, y: size }, { x: size, y: size }].map((c) => applySimilarity(toSource, c));
  const pad = 2 * k;
  return {
    x0: Math.max(0, Math.floor(Math.min(...corners.map((c) => c.x)) - pad)),
    y0: Math.max(0, Math.floor(Math.min(...corners.map((c) => c.y)) - pad)),
    x1: Math.min(width, Math.ceil(Math.max(...corners.map((c) => c.x)) + pad)),
    y1: Math.min(height, Math.ceil(Math.max(...corners.map((c) => c.y)) + pad)),
    k,
  };
}

/**
 * @param image [H, W, 3] pixels 0-255 (any dtype)
 * @returns [1, size, size, 3] float32 0-255; pixels outside the image are black, as in dlib's chips.
 */
export function warpFace(image: tf.Tensor3D, toCrop: Similarity, size: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [height, width] = image.shape;
    // Only the part of the image the crop can see is pooled and sampled.
    const { x0, y0, x1, y1, k } = warpFootprint(toCrop, size, width, height);
    const toSource = invertSimilarity(toCrop);
    if (x1 - x0 < k || y1 - y0 < k) return tf.zeros<tf.Rank.R4>([1, size, size, 3]);
    let region = tf.expandDims<tf.Tensor4D>(tf.cast(tf.slice(image, [y0, x0, 0], [y1 - y0, x1 - x0, 3]), 'float32'), 0);
    if (k > 1) region = tf.avgPool(region, k, k, 'valid');
    // Output pixel (x, y) → region pixel: image = toSource(x, y); region = (image − origin − (k−1)/2) / k.
    const shift = (k - 1) / 2;
    const m = [
      toSource.a / k, -toSource.b / k, (toSource.tx - x0 - shift) / k,
      toSource.b / k, toSource.a / k, (toSource.ty - y0 - shift) / k,
      0, 0,
    ];
    return tf.image.transform(region, tf.tensor2d([m], [1, 8]), 'bilinear', 'constant', 0, [size, size]);
  });
}
