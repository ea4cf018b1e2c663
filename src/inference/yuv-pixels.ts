// A camera frame's own planes (YUV or RGB bytes, as VideoFrame.copyTo hands them over) into RGB values,
// shrunk by a whole step. Drawing a VideoFrame into a 2D canvas and reading it back cost 47-57 ms per
// frame in the worker here (the app's fps was 12 with nothing else to do); copying the planes and
// converting them in one loop costs a few ms. Pure: no DOM, so it is tested in Node.
import type { PixelArea } from '../domain/geometry.ts';

/** The pixel formats converted here; anything else goes through a canvas. */
export const PLANE_FORMATS = ['I420', 'I420A', 'NV12', 'RGBA', 'RGBX', 'BGRA', 'BGRX'] as const;
export type PlaneFormat = (typeof PLANE_FORMATS)[number];

export function isPlaneFormat(format: string | null): format is PlaneFormat {
  return (PLANE_FORMATS as readonly string[]).includes(format ?? '');
}

export interface Plane {
  offset: number;
  stride: number;
}

/** How the frame's YUV maps to RGB (VideoColorSpace's matrix and range; RGB formats ignore it). */
export interface YuvColor {
  /** 'bt709' for HD cameras; anything else is taken as BT.601 (bt470bg, smpte170m: SD webcams, JPEG). */
  matrix: string | null;
  /** Full-range (0-255, JPEG-style) or limited (16-235) luma. */
  fullRange: boolean | null;
}

export interface PlaneFrame {
  format: PlaneFormat;
  /** The visible picture's size, which the planes hold. */
  width: number;
  height: number;
  data: Uint8Array;
  planes: readonly Plane[];
  color: YuvColor;
}

/** R = Y' + rv·V, G = Y' − gu·U − gv·V, B = Y' + bu·U, with Y' scaled for limited range. */
function coefficients(color: YuvColor) {
  // Kr, Kb of the matrix; a null range is limited (what cameras send unless they say otherwise).
  const [kr, kb] = color.matrix === 'bt709' ? [0.2126, 0.0722] : [0.299, 0.114];
  const full = color.fullRange === true;
  const yScale = full ? 1 : 255 / 219;
  const yOffset = full ? 0 : 16;
  const cScale = full ? 1 : 255 / 224;
  const kg = 1 - kr - kb;
  return {
    yScale,
    yOffset,
    rv: 2 * (1 - kr) * cScale,
    gu: ((2 * kb * (1 - kb)) / kg) * cScale,
    gv: ((2 * kr * (1 - kr)) / kg) * cScale,
    bu: 2 * (1 - kb) * cScale,
  };
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/**
 * RGB values (0-255, interleaved) of the frame `step` times smaller on each side, sampled as a bilinear
 * resize (drawImage's) samples: at each output pixel's centre, i.e. the middle 2×2 source pixels for an
 * even step, the middle pixel for an odd one, so the detector sees a camera frame as it did through the
 * canvas (measured against it on the same frames: 0.5 grey levels apart on average). Chroma is taken at
 * the centre. With `area` (in output pixels, inside the output), only that rectangle, as it would be cut
 * out of the whole result.
 */
export function planesToRgb(frame: PlaneFrame, step: number, area?: PixelArea): { rgb: Float32Array; width: number; height: number } {
  const { x: left, y: top, width, height } = area ?? { x: 0, y: 0, width: Math.floor(frame.width / step), height: Math.floor(frame.height / step) };
  const right = left + width;
  const bottom = top + height;
  const rgb = new Float32Array(width * height * 3);
  const { data, planes } = frame;
  // Source rows/columns sampled for output pixel i: first + i·step, and the next one when the step is even.
  const first = (step - 1) >> 1;
  const span = step % 2 === 0 ? 2 : 1;
  const n = span * span;
  if (frame.format === 'RGBA' || frame.format === 'RGBX' || frame.format === 'BGRA' || frame.format === 'BGRX') {
    const [r, b] = frame.format.startsWith('RGB') ? [0, 2] : [2, 0];
    const { offset, stride } = planes[0] as Plane;
    for (let y = top, o = 0; y < bottom; y++) {
      for (let x = left; x < right; x++, o += 3) {
        let sr = 0, sg = 0, sb = 0;
        for (let dy = 0; dy < span; dy++) {
          let i = offset + (y * step + first + dy) * stride + (x * step + first) * 4;
          for (let dx = 0; dx < span; dx++, i += 4) {
            sr += data[i + r] as number;
            sg += data[i + 1] as number;
            sb += data[i + b] as number;
          }
        }
        rgb[o] = sr / n;
        rgb[o + 1] = sg / n;
        rgb[o + 2] = sb / n;
      }
    }
    return { rgb, width, height };
  }
  const k = coefficients(frame.color);
  const yPlane = planes[0] as Plane;
  const uPlane = planes[1] as Plane;
  // NV12 interleaves U and V in its second plane; I420 has them in planes 1 and 2.
  const nv12 = frame.format === 'NV12';
  const vPlane = nv12 ? uPlane : (planes[2] as Plane);
  const cStep = nv12 ? 2 : 1;
  const vShift = nv12 ? 1 : 0;
  for (let y = top, o = 0; y < bottom; y++) {
    const cy = (y * step + (step >> 1)) >> 1;
    for (let x = left; x < right; x++, o += 3) {
      let sy = 0;
      for (let dy = 0; dy < span; dy++) {
        let i = yPlane.offset + (y * step + first + dy) * yPlane.stride + x * step + first;
        for (let dx = 0; dx < span; dx++, i++) sy += data[i] as number;
      }
      const cx = (x * step + (step >> 1)) >> 1;
      const u = (data[uPlane.offset + cy * uPlane.stride + cx * cStep] as number) - 128;
      const v = (data[vPlane.offset + cy * vPlane.stride + cx * cStep + vShift] as number) - 128;
      const luma = (sy / n - k.yOffset) * k.yScale;
      rgb[o] = clamp(luma + k.rv * v);
      rgb[o + 1] = clamp(luma - k.gu * u - k.gv * v);
      rgb[o + 2] = clamp(luma + k.bu * u);
    }
  }
  return { rgb, width, height };
}
