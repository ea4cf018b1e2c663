// The aligned face kept with every enrolled sample: a generous square crop with the five points at a
// fixed template, so any embedder can re-embed it later by warping from those known points.
import * as tf from '@tensorflow/tfjs-core';
import type { FivePoints, PixelArea, Point } from '../domain/geometry.ts';
import { EMBEDDERS } from '../domain/embedder-specs.ts';
import { alignmentFor, warpFace, warpFootprint } from './face-warp.ts';

/**
 * How a stored face is laid out: its side and where the five points sit. The first layout (224 px, the
 * points at faceres' template) cut the top 11 px off the ArcFace 112 crop, so re-embedding for
 * arcface-mobilefacenet and mobileface moved a face by 0.02–0.07 (squared distance, sample2's faces).
 * The second frames that crop fully: 240 px, faceres' template moved by (8, 16). Older samples keep
 * theirs; the JPEG's own size says which layout it has.
 */
export interface StoredFaceLayout {
  size: number;
  template: readonly Point[];
}

const shifted = (t: readonly Point[], dx: number, dy: number): Point[] => t.map((p) => ({ x: p.x + dx, y: p.y + dy }));

/** Where faceres' 224 crop (the sharpness measure's window) lies in the current layout. */
const FACERES_OFFSET = { x: 8, y: 16 } as const;
export const STORED_FACE: StoredFaceLayout = { size: 240, template: shifted(EMBEDDERS.faceres.template, FACERES_OFFSET.x, FACERES_OFFSET.y) };
export const FIRST_STORED_FACE: StoredFaceLayout = { size: 224, template: EMBEDDERS.faceres.template };
export const STORED_FACE_SIZE = STORED_FACE.size;

function asPoints(t: readonly Point[]): FivePoints {
  const [leftEye, rightEye, nose, mouthLeft, mouthRight] = t as [Point, Point, Point, Point, Point];
  return { leftEye, rightEye, nose, mouthLeft, mouthRight };
}

/** The five points of a stored face of this side (224: the first layout; otherwise the current one). */
export function storedFacePoints(side: number): FivePoints {
  return asPoints(side === FIRST_STORED_FACE.size ? FIRST_STORED_FACE.template : STORED_FACE.template);
}

/** [240, 240, 3] float 0-255. */
export function storedFaceCrop(image: tf.Tensor3D, points: FivePoints): tf.Tensor3D {
  return tf.tidy(() => tf.squeeze<tf.Tensor3D>(warpFace(image, alignmentFor(points, STORED_FACE.template), STORED_FACE.size), [0]));
}

/** The part of a width × height image the stored face is made from; null when it lies outside. */
export function storedFaceArea(points: FivePoints, width: number, height: number): PixelArea | null {
  const f = warpFootprint(alignmentFor(points, STORED_FACE.template), STORED_FACE.size, width, height);
  return f.x1 - f.x0 < f.k || f.y1 - f.y0 < f.k ? null : { x: f.x0, y: f.y0, width: f.x1 - f.x0, height: f.y1 - f.y0 };
}

/**
 * Variance of the Laplacian of the grey face: the usual focus measure (low = blurred). Taken over
 * faceres' 224 window, the one the quality gate's floor was measured on.
 */
export function sharpnessOf(storedFace: tf.Tensor3D): number {
  return tf.tidy(() => {
    const crop = storedFace.shape[0] === FIRST_STORED_FACE.size ? storedFace : tf.slice(storedFace, [FACERES_OFFSET.y, FACERES_OFFSET.x, 0], [224, 224, 3]);
    const grey = tf.reshape<tf.Rank.R4>(tf.mean(crop, 2), [1, 224, 224, 1]);
    const kernel = tf.tensor4d([0, 1, 0, 1, -4, 1, 0, 1, 0], [3, 3, 1, 1]);
    const lap = tf.conv2d(grey, kernel, 1, 'valid');
    const { variance } = tf.moments(lap);
    return variance.dataSync()[0] ?? 0;
  });
}

/** JPEG quality of the stored face (re-embedding reads it back: see the stored-face test's bound). */
export const STORED_FACE_JPEG_QUALITY = 0.9;

/**
 * The stored face as a JPEG, through the encoder the runtime has (a canvas in the browser). toPixels
 * leaves the int tensor it is given to its caller: disposed here on every path.
 */
export async function storedFaceJpeg(face: tf.Tensor3D, encode: (rgba: Uint8ClampedArray, width: number, height: number) => Promise<Blob>): Promise<Blob> {
  const ints = tf.tidy(() => tf.cast<tf.Tensor3D>(tf.clipByValue(face, 0, 255), 'int32'));
  let rgba: Uint8ClampedArray;
  try {
    rgba = await tf.browser.toPixels(ints);
  } finally {
    ints.dispose();
  }
  const [h, w] = face.shape;
  return encode(rgba, w, h);
}
