// How the engine turns pixels into a stored face's JPEG and a stored JPEG back into pixels. In the
// browser that is a canvas (OffscreenCanvas in the worker); the engine takes any codec, so its unit
// tests run it in Node with a pure-JS JPEG library.
import { scratchCanvas } from './scratch-canvas.ts';

export interface RgbaImage {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
}

export interface ImageCodec {
  encodeJpeg(image: RgbaImage, quality: number): Promise<Blob>;
  /** A JPEG, PNG or WebP file's pixels; rejects when the bytes are not an image the browser reads. */
  decode(file: Blob): Promise<RgbaImage>;
}

function canvasOf(width: number, height: number) {
  const canvas = scratchCanvas(width, height);
  const ctx = canvas?.getContext('2d', { willReadFrequently: true });
  if (!canvas || !ctx) throw new Error('No 2D canvas for face pictures');
  return { canvas, ctx };
}

export const canvasCodec: ImageCodec = {
  encodeJpeg({ rgba, width, height }, quality) {
    const { canvas, ctx } = canvasOf(width, height);
    ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
    return canvas.encode('image/jpeg', quality);
  },
  async decode(file) {
    const bitmap = await createImageBitmap(file);
    try {
      const { ctx } = canvasOf(bitmap.width, bitmap.height);
      ctx.drawImage(bitmap, 0, 0);
      return { rgba: ctx.getImageData(0, 0, bitmap.width, bitmap.height).data, width: bitmap.width, height: bitmap.height };
    } finally {
      bitmap.close();
    }
  },
};
