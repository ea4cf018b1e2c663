// Points and boxes in image pixels, and how a box maps onto a mirrored or scaled overlay.

export interface Point {
  readonly x: number;
  readonly y: number;
}

declare const pixelBrand: unique symbol;
/** A box in source-image pixels (never normalised 0-1: that is a different type on purpose). */
export type PixelBox = { readonly x: number; readonly y: number; readonly width: number; readonly height: number } & {
  readonly [pixelBrand]: true;
};

export function pixelBox(x: number, y: number, width: number, height: number): PixelBox {
  if (![x, y, width, height].every(Number.isFinite) || width < 0 || height < 0) {
    throw new RangeError(`Not a box: ${x},${y} ${width}x${height}`);
  }
  return { x, y, width, height } as PixelBox;
}

/** The same box seen in a horizontally mirrored image of the given width (front-camera preview). */
export function mirrorBox(box: PixelBox, imageWidth: number): PixelBox {
  return pixelBox(imageWidth - box.x - box.width, box.y, box.width, box.height);
}

/** A whole-pixel rectangle of a picture (a part cut out of it to read). */
export interface PixelArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Five alignment points, in the order every embedder template uses. */
export interface FivePoints {
  readonly leftEye: Point;
  readonly rightEye: Point;
  readonly nose: Point;
  readonly mouthLeft: Point;
  readonly mouthRight: Point;
}

/** Area the two boxes share (0 when apart). */
function intersection(a: PixelBox, b: PixelBox): number {
  const x = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const y = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  return x * y;
}

/** Intersection over union of two boxes (0 when apart, 1 when identical). */
export function iou(a: PixelBox, b: PixelBox): number {
  const inter = intersection(a, b);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/** The share of `box`'s area that `other` covers (0-1). */
export function coveredShare(box: PixelBox, other: PixelBox): number {
  const area = box.width * box.height;
  return area > 0 ? intersection(box, other) / area : 0;
}

/**
 * Keeps the best-scoring of boxes that overlap by more than `maxIou`: the detector sometimes refines
 * two proposals onto the same face, which would show one person twice. A weaker box at most half as
 * wide as a better face that covers more than `maxCovered` of it goes too: the phantom "face" blazeface
 * finds in the hair above a head (measured on the live clip: 122 px wide against the face's 302, 38 %
 * inside its box, IoU only 0.05). Faces of a size, however tightly packed (a crowd), are never dropped
 * for it; a small face mostly hidden behind a much larger one is the price.
 */
export function suppressOverlaps<T extends { box: PixelBox; score: number }>(items: readonly T[], maxIou = 0.4, maxCovered = 0.3): T[] {
  const kept: T[] = [];
  const phantomOf = (item: T, face: T) => item.box.width * 2 <= face.box.width && coveredShare(item.box, face.box) > maxCovered;
  for (const item of [...items].sort((a, b) => b.score - a.score)) {
    if (kept.every((k) => iou(k.box, item.box) <= maxIou && !phantomOf(item, k))) kept.push(item);
  }
  return kept;
}

/** A box measured on a resized copy of an image, in the original image's pixels. */
export function scaleBox(box: PixelBox, factor: number): PixelBox {
  return pixelBox(box.x * factor, box.y * factor, box.width * factor, box.height * factor);
}

function mapFivePoints(points: FivePoints, f: (p: Point) => Point): FivePoints {
  return { leftEye: f(points.leftEye), rightEye: f(points.rightEye), nose: f(points.nose), mouthLeft: f(points.mouthLeft), mouthRight: f(points.mouthRight) };
}

/** Five points measured on a resized copy of an image, in the original image's pixels. */
export function scaleFivePoints(points: FivePoints, factor: number): FivePoints {
  return mapFivePoints(points, (p) => ({ x: p.x * factor, y: p.y * factor }));
}

/** Five points of an image, in the pixels of the part of it cut out at (x, y). */
export function fivePointsIn(points: FivePoints, x: number, y: number): FivePoints {
  return mapFivePoints(points, (p) => ({ x: p.x - x, y: p.y - y }));
}

/** The whole step an image is shrunk by so that its longer side is at most `maxSide` (1: it fits). */
export function shrinkStep(width: number, height: number, maxSide: number): number {
  return Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
}
