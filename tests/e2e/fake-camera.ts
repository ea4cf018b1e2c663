// Makes .y4m clips for Chromium's fake camera from face photos shipped in npm packages, at test time,
// so no binary test media is committed. y4m is simple enough to write here: a header, then
// `FRAME` + I420 planes per frame.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import jpeg from 'jpeg-js';

export interface Crop {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ClipSpec {
  name: string;
  /** A photo in @vladmandic/face-api/demo, or an absolute path. */
  photo: string;
  /** A slideshow instead: these photos (absolute paths) in turn, each for this many frames. */
  slides?: { photos: string[]; frames: number };
  /** Part of the photo to show, in photo pixels; the whole photo when absent (letterboxed). */
  crop?: Crop;
  /** Frames that differ by a few pixels of shift and some sensor noise, like a real webcam. */
  jitter?: { frames: number; pixels: number; noise: number };
  /** Frames per second the fake camera delivers (15 unless said). */
  fps?: number;
  /** Frame size (640×480 unless said; even numbers, as I420 needs). */
  size?: { width: number; height: number };
  /** The crop repeated in a grid of this many cells (a crowd). */
  grid?: { cols: number; rows: number };
  /**
   * A camera sweeping over the photo: the crop moves (and grows or shrinks) from `crop` to `to` over
   * this many frames, so faces walk in at one side, cross the frame at a changing size and leave.
   */
  pan?: { frames: number; to: Crop };
}

const WIDTH = 640;
const HEIGHT = 480;
const FRAMES = 4; // identical frames; Chromium loops the file

const require = createRequire(import.meta.url);

export function samplePhotoPath(photo: string): string {
  // face-api's exports do not list demo/, so find the package folder through its main entry.
  const main = require.resolve('@vladmandic/face-api');
  return join(dirname(main), '..', 'demo', photo);
}

/** Bilinear sample of an RGBA image at a fractional position. */
function sample(data: Uint8Array, w: number, h: number, x: number, y: number, c: number): number {
  const x0 = Math.max(0, Math.min(w - 1, Math.floor(x)));
  const y0 = Math.max(0, Math.min(h - 1, Math.floor(y)));
  const x1 = Math.min(w - 1, x0 + 1);
  const y1 = Math.min(h - 1, y0 + 1);
  const fx = Math.min(1, Math.max(0, x - x0));
  const fy = Math.min(1, Math.max(0, y - y0));
  const at = (xx: number, yy: number) => data[(yy * w + xx) * 4 + c] ?? 0;
  return (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy;
}

/** The photo region scaled into one RGB frame (letterboxed to keep faces undistorted), once per grid cell. */
export function renderFrame(spec: ClipSpec, shift = { x: 0, y: 0 }): Uint8Array {
  const img = jpeg.decode(readFileSync(isAbsolute(spec.photo) ? spec.photo : samplePhotoPath(spec.photo)), { useTArray: true, formatAsRGBA: true });
  const crop = spec.crop ?? { x: 0, y: 0, width: img.width, height: img.height };
  const { width: W, height: H } = spec.size ?? { width: WIDTH, height: HEIGHT };
  const { cols, rows } = spec.grid ?? { cols: 1, rows: 1 };
  const cellW = W / cols;
  const cellH = H / rows;
  const scale = Math.min(cellW / crop.width, cellH / crop.height);
  const offX = (cellW - crop.width * scale) / 2;
  const offY = (cellH - crop.height * scale) / 2;
  const rgb = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const cx = x % cellW;
      const cy = y % cellH;
      const sx = crop.x + (cx - offX + 0.5) / scale - 0.5 + shift.x;
      const sy = crop.y + (cy - offY + 0.5) / scale - 0.5 + shift.y;
      const inside = sx >= crop.x - 0.5 && sx <= crop.x + crop.width && sy >= crop.y - 0.5 && sy <= crop.y + crop.height;
      for (let c = 0; c < 3; c++) {
        rgb[(y * W + x) * 3 + c] = inside ? Math.round(sample(img.data, img.width, img.height, sx, sy, c)) : 0;
      }
    }
  }
  return rgb;
}

/** RGB to I420 (BT.601 full range, as Chromium's y4m reader with C420jpeg expects). */
export function rgbToI420(rgb: Uint8Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h * 1.5);
  const uOff = w * h;
  const vOff = uOff + (w / 2) * (h / 2);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const r = rgb[i] ?? 0;
      const g = rgb[i + 1] ?? 0;
      const b = rgb[i + 2] ?? 0;
      out[y * w + x] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
  for (let y = 0; y < h / 2; y++) {
    for (let x = 0; x < w / 2; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const i = ((2 * y + dy) * w + 2 * x + dx) * 3;
        r += rgb[i] ?? 0;
        g += rgb[i + 1] ?? 0;
        b += rgb[i + 2] ?? 0;
      }
      r /= 4;
      g /= 4;
      b /= 4;
      const j = y * (w / 2) + x;
      out[uOff + j] = Math.max(0, Math.min(255, Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)));
      out[vOff + j] = Math.max(0, Math.min(255, Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)));
    }
  }
  return out;
}

/** Writes `<dir>/<name>.y4m` and returns its absolute path. */
export function writeClip(dir: string, spec: ClipSpec): string {
  mkdirSync(dir, { recursive: true });
  const { width: W, height: H } = spec.size ?? { width: WIDTH, height: HEIGHT };
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F${spec.fps ?? 15}:1 Ip A1:1 C420jpeg\n`);
  const frameTag = Buffer.from('FRAME\n');
  const parts: Uint8Array[] = [header];
  if (spec.pan && spec.crop) {
    const { frames, to } = spec.pan;
    const from = spec.crop;
    for (let f = 0; f < frames; f++) {
      const t = f / Math.max(1, frames - 1);
      const at = (a: number, b: number) => a + (b - a) * t;
      const crop = { x: at(from.x, to.x), y: at(from.y, to.y), width: at(from.width, to.width), height: at(from.height, to.height) };
      parts.push(frameTag, rgbToI420(renderFrame({ ...spec, crop }), W, H));
    }
  } else if (spec.slides) {
    for (const photo of spec.slides.photos) {
      const i420 = rgbToI420(renderFrame({ ...spec, photo }), W, H);
      for (let f = 0; f < spec.slides.frames; f++) parts.push(frameTag, i420);
    }
  } else if (spec.jitter) {
    // Deterministic pseudo-random shifts and noise, so every run sees the same clip.
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let f = 0; f < spec.jitter.frames; f++) {
      const rgb = renderFrame(spec, { x: (rand() * 2 - 1) * spec.jitter.pixels, y: (rand() * 2 - 1) * spec.jitter.pixels });
      for (let i = 0; i < rgb.length; i++) rgb[i] = Math.max(0, Math.min(255, (rgb[i] ?? 0) + Math.round((rand() * 2 - 1) * spec.jitter.noise)));
      parts.push(frameTag, rgbToI420(rgb, W, H));
    }
  } else {
    const i420 = rgbToI420(renderFrame(spec), W, H);
    for (let f = 0; f < FRAMES; f++) parts.push(frameTag, i420);
  }
  const path = join(dir, `${spec.name}.y4m`);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

/** The clips the suite uses: two different people alone in the frame, two people together, a group. */
export const CLIPS = {
  // sample2.jpg: the right-hand person, alone in the crop.
  onePerson: { name: 'one-person', photo: 'sample2.jpg', crop: { x: 1190, y: 40, width: 720, height: 540 } },
  // sample5.jpg: the person at the bottom left, alone in the crop — someone else.
  otherPerson: { name: 'other-person', photo: 'sample5.jpg', crop: { x: 99, y: 764, width: 720, height: 540 } },
  // A crowd: the same face, tightly cropped, 20 times in a 5 × 4 grid of a 720p frame.
  crowd: { name: 'crowd', photo: 'sample2.jpg', crop: { x: 1390, y: 100, width: 320, height: 240 }, size: { width: 1280, height: 720 }, grid: { cols: 5, rows: 4 } },
  // A 4K camera.
  uhd: { name: 'uhd', photo: 'sample2.jpg', crop: { x: 1190, y: 40, width: 720, height: 540 }, size: { width: 3840, height: 2160 } },
  // The smallest frame a camera can send (I420 needs even sizes: 2×2 is Chromium's 1×1).
  tiny: { name: 'tiny', photo: 'sample2.jpg', crop: { x: 1190, y: 40, width: 720, height: 540 }, size: { width: 2, height: 2 } },
  // sample1.jpg: the two people on the left, side by side.
  twoPeople: { name: 'two-people', photo: 'sample1.jpg', crop: { x: 200, y: 150, width: 1000, height: 750 } },
  // sample1.jpg as a whole: three people side by side.
  group: { name: 'group', photo: 'sample1.jpg' },
  // The first person again, moving a little and with sensor noise (for the flicker benchmark).
  onePersonLive: { name: 'one-person-live', photo: 'sample2.jpg', crop: { x: 1190, y: 40, width: 720, height: 540 }, jitter: { frames: 24, pixels: 6, noise: 6 } },
  /**
   * A 30 fps camera sweeping across sample1's three people in 3 s while it closes in: each walks in at
   * the left, crosses at a growing size and leaves at the right, a second and a third following (the
   * speed benchmark's moving scene; nothing is still, so detection can never be reused).
   */
  crossing: { name: 'crossing', photo: 'sample1.jpg', crop: { x: -900, y: 120, width: 1200, height: 900 }, pan: { frames: 90, to: { x: 1700, y: 260, width: 760, height: 570 } }, fps: 30 },
  /** A 30 fps webcam and a person sitting still (a pixel of sway, sensor noise): the speed benchmark's clip. */
  onePersonSteady: { name: 'one-person-steady', photo: 'sample2.jpg', crop: { x: 1190, y: 40, width: 720, height: 540 }, jitter: { frames: 30, pixels: 1.5, noise: 4 }, fps: 30 },
} satisfies Record<string, ClipSpec>;
