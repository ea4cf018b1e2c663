// How each embedder wants its face: the canonical five-point template in its input pixels, input
// size and value range. Templates are where the model's training crops put eyes, nose and mouth.
import type { Point } from './geometry.ts';

export type EmbedderId = 'arcface-mobilefacenet' | 'dlib-resnet' | 'faceres' | 'mobileface';

export interface EmbedderSpec {
  id: EmbedderId;
  size: number;
  /** leftEye, rightEye, nose, mouthLeft, mouthRight — as seen in the image. */
  template: readonly Point[];
  dims: number;
}

// Where our five points sit in a true dlib face chip (get_face_chip_details(shape, 150, 0.25)), measured
// with `npm run eval -- template` on 364 LFW faces: face-api's 68 dlib-scheme landmarks map each face
// onto dlib's mean shape and our mesh points are carried along (2026-11-29); made left-right symmetric.
// (The mean shape's own eye/nose/mouth points put the nose 5 px higher: our mesh nose tip is not
// dlib's point 30, which is why the template is measured rather than copied.)
const DLIB_150: readonly Point[] = [
  { x: 49.17, y: 48.92 },
  { x: 100.33, y: 48.92 },
  { x: 74.75, y: 81.79 },
  { x: 52.52, y: 104.47 },
  { x: 96.98, y: 104.47 },
];

// InsightFace's ArcFace 112×112 template (the crop mobileface and arcface-mobilefacenet were trained on).
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
  'arcface-mobilefacenet': { id: 'arcface-mobilefacenet', size: 112, template: ARCFACE_112, dims: 512 },
  'dlib-resnet': { id: 'dlib-resnet', size: 150, template: DLIB_150, dims: 128 },
  faceres: { id: 'faceres', size: 224, template: FACERES_224, dims: 1024 },
  mobileface: { id: 'mobileface', size: 112, template: ARCFACE_112, dims: 256 },
};

/** The model with the best held-out 1:N figure (docs/ACCURACY.md): what a user who never chose is on. */
export const DEFAULT_EMBEDDER: EmbedderId = 'arcface-mobilefacenet';
/** The default before it: the model a user who never chose has samples embedded with. */
export const PREVIOUS_DEFAULT_EMBEDDER: EmbedderId = 'dlib-resnet';

export function isEmbedderId(id: string): id is EmbedderId {
  return id in EMBEDDERS;
}
