// How each embedder wants its face: the canonical five-point template in its input pixels, input
// size and value range. Templates are where the model's training crops put eyes, nose and mouth.
import type { Point } from '../domain/geometry.ts';

export type EmbedderId = 'dlib-resnet' | 'faceres' | 'mobileface';

export interface EmbedderSpec {
  id: EmbedderId;
  size: number;
  /** leftEye, rightEye, nose, mouthLeft, mouthRight — as seen in the image. */
  template: readonly Point[];
  dims: number;
}

// dlib's get_face_chip_details(shape, 150, 0.25): its mean face shape (points 17-67, unit square)
// mapped with padding 0.25 → (v + 0.25) / 1.5 · 150. Eye centres average the six eye-contour
// points; nose tip is point 30; mouth corners points 48 and 54.
const DLIB_150: readonly Point[] = [
  { x: 47.549, y: 46.599 },
  { x: 100.476, y: 46.599 },
  { x: 74.013, y: 76.563 },
  { x: 50.415, y: 103.023 },
  { x: 97.61, y: 103.023 },
];

// InsightFace's ArcFace 112×112 template (the crop mobileface was trained on).
const ARCFACE_112: readonly Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

// Human feeds faceres its face-mesh crop resized to 224. Measured: mean positions of our five points in
// that crop over 300 LFW faces (a one-off probe, 2026-11-29), made left-right symmetric about x = 112.
const FACERES_224: readonly Point[] = [
  { x: 80.5, y: 80.9 },
  { x: 143.5, y: 80.9 },
  { x: 112, y: 121.2 },
  { x: 84.8, y: 148.6 },
  { x: 139.2, y: 148.6 },
];

export const EMBEDDERS: Record<EmbedderId, EmbedderSpec> = {
  'dlib-resnet': { id: 'dlib-resnet', size: 150, template: DLIB_150, dims: 128 },
  faceres: { id: 'faceres', size: 224, template: FACERES_224, dims: 1024 },
  mobileface: { id: 'mobileface', size: 112, template: ARCFACE_112, dims: 256 },
};

export const DEFAULT_EMBEDDER: EmbedderId = 'dlib-resnet';

export function isEmbedderId(id: string): id is EmbedderId {
  return id in EMBEDDERS;
}
