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

/** Five alignment points, in the order every embedder template uses. */
export interface FivePoints {
  readonly leftEye: Point;
  readonly rightEye: Point;
  readonly nose: Point;
  readonly mouthLeft: Point;
  readonly mouthRight: Point;
}
