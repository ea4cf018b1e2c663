// Camera frames into tensors, fast. tf.browser.fromPixels reads an ImageBitmap back through a canvas
// that is not marked for reading and then converts RGBA in a slow loop: 27 ms per VGA frame measured in
// Chromium here, as much as detecting the faces, and worse in a worker. Here: one reusable 2D canvas
// with willReadFrequently, the resize done by drawImage, and one tight RGBA→RGB loop; camera frames
// arrive as VideoFrames straight from the track (no GPU round trip), photos as ImageBitmaps. A camera
// frame in a plain YUV or RGB format skips the canvas too: its planes are copied and converted here.
import * as tf from '@tensorflow/tfjs-core';
import type { PixelArea } from '../domain/geometry.ts';
import { isPlaneFormat, planesToRgb, type PlaneFrame } from './yuv-pixels.ts';
import { scratchCanvas, type ScratchCanvas } from './scratch-canvas.ts';


/** What the page hands over: a camera VideoFrame where the browser has them, else an ImageBitmap. */
export type FrameImage = ImageBitmap | VideoFrame;

export const frameWidth = (f: FrameImage): number => ('displayWidth' in f ? f.displayWidth : f.width);
export const frameHeight = (f: FrameImage): number => ('displayHeight' in f ? f.displayHeight : f.height);

/** A frame's RGB values (0-255, interleaved), `step` times smaller than the frame on each side. */
export interface FrameRgb {
  rgb: Float32Array;
  width: number;
  height: number;
  step: number;
}

/** The pixels as a [height, width, 3] float32 tensor; the caller disposes it. */
export function tensorOf(pixels: FrameRgb): tf.Tensor3D {
  return tf.tensor3d(pixels.rgb, [pixels.height, pixels.width, 3], 'float32');
}

export class FramePixels {
  private canvas: ScratchCanvas | null = null;
  private ctx: OffscreenCanvasRenderingContext2D | null = null;
  /** The last camera frame's planes: a frame is read twice when faces are embedded (small, then full). */
  private copied: { frame: VideoFrame; planes: PlaneFrame } | null = null;
  private planeBytes = new Uint8Array(0);

  private context(width: number, height: number): OffscreenCanvasRenderingContext2D {
    if (!this.canvas || !this.ctx) {
      this.canvas = scratchCanvas(width, height);
      this.ctx = this.canvas?.getContext('2d', { willReadFrequently: true }) ?? null;
      if (!this.canvas || !this.ctx) throw new Error('No 2D canvas to read camera frames');
    }
    const canvas = this.canvas;
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    return this.ctx;
  }

  /**
   * The frame's RGB values, shrunk by a whole step so that it is about `width` pixels wide when given
   * (aspect kept), else full size. Plain values: a caller may decide from them that no tensor is needed.
   */
  async read(frame: FrameImage, width?: number): Promise<FrameRgb> {
    const fw = frameWidth(frame);
    const fh = frameHeight(frame);
    const step = width && width < fw ? Math.max(1, Math.round(fw / width)) : 1;
    const planes = await this.planesOf(frame);
    if (planes) return { ...planesToRgb(planes, step), step };
    const w = Math.floor(fw / step);
    const h = Math.floor(fh / step);
    return { rgb: this.fromCanvas(frame, w, h), width: w, height: h, step };
  }

  /**
   * Full-size RGB values of one rectangle of the frame: exactly that part of what read() without a width
   * gives, at a fraction of the cost when faces fill a small part of the picture (embeddings need only
   * the pixels their aligned crops can see).
   */
  async readArea(frame: FrameImage, area: PixelArea): Promise<FrameRgb> {
    const planes = await this.planesOf(frame);
    if (planes) return { ...planesToRgb(planes, 1, area), step: 1 };
    return { rgb: this.fromCanvas(frame, frameWidth(frame), frameHeight(frame), area), width: area.width, height: area.height, step: 1 };
  }

  /** The frame's own planes, where it has a format converted here and is shown at its visible size. */
  private async planesOf(frame: FrameImage): Promise<PlaneFrame | null> {
    if (!('format' in frame) || !isPlaneFormat(frame.format)) return null;
    if (this.copied?.frame === frame) return this.copied.planes;
    const rect = frame.visibleRect;
    if (!rect || rect.width !== frame.displayWidth || rect.height !== frame.displayHeight) return null;
    const size = frame.allocationSize();
    if (this.planeBytes.length !== size) this.planeBytes = new Uint8Array(size);
    const layout = await frame.copyTo(this.planeBytes);
    const planes: PlaneFrame = {
      format: frame.format,
      width: rect.width,
      height: rect.height,
      data: this.planeBytes,
      planes: layout,
      color: { matrix: frame.colorSpace.matrix, fullRange: frame.colorSpace.fullRange },
    };
    this.copied = { frame, planes };
    return planes;
  }

  /**
   * The frame drawn at w × h, or only `area` of it at full size: a canvas as large as a 48-megapixel photo
   * would hold 190 MB for the few faces read from it.
   */
  private fromCanvas(frame: FrameImage, w: number, h: number, area?: PixelArea): Float32Array {
    const [cw, ch] = area ? [area.width, area.height] : [w, h];
    const ctx = this.context(cw, ch);
    if (area) ctx.drawImage(frame, area.x, area.y, cw, ch, 0, 0, cw, ch);
    else ctx.drawImage(frame, 0, 0, w, h);
    const rgba = ctx.getImageData(0, 0, cw, ch).data;
    const rgb = new Float32Array(cw * ch * 3);
    for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
      rgb[j] = rgba[i] as number;
      rgb[j + 1] = rgba[i + 1] as number;
      rgb[j + 2] = rgba[i + 2] as number;
    }
    return rgb;
  }
}
