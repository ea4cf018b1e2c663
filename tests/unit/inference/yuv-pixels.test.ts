// Camera planes to RGB: the colours a webcam's YUV stands for, in each layout a VideoFrame can hand over.
import { describe, expect, it } from 'vitest';
import { planesToRgb, type PlaneFrame, type YuvColor } from '../../../src/inference/yuv-pixels.ts';

const LIMITED_601: YuvColor = { matrix: null, fullRange: null };

/** A uniform I420 frame of one YUV colour. */
function i420(width: number, height: number, [y, u, v]: [number, number, number], color: YuvColor): PlaneFrame {
  const cw = width / 2;
  const ch = height / 2;
  const data = new Uint8Array(width * height + 2 * cw * ch);
  data.fill(y, 0, width * height);
  data.fill(u, width * height, width * height + cw * ch);
  data.fill(v, width * height + cw * ch);
  return { format: 'I420', width, height, data, planes: [{ offset: 0, stride: width }, { offset: width * height, stride: cw }, { offset: width * height + cw * ch, stride: cw }], color };
}

function nv12(width: number, height: number, [y, u, v]: [number, number, number], color: YuvColor): PlaneFrame {
  const data = new Uint8Array(width * height * 1.5);
  data.fill(y, 0, width * height);
  for (let i = width * height; i < data.length; i += 2) {
    data[i] = u;
    data[i + 1] = v;
  }
  return { format: 'NV12', width, height, data, planes: [{ offset: 0, stride: width }, { offset: width * height, stride: width }], color };
}

const firstPixel = (f: PlaneFrame, step = 1) => Array.from(planesToRgb(f, step).rgb.slice(0, 3)).map(Math.round);

describe('camera planes to RGB', () => {
  it('reads limited-range BT.601 (what cameras send unless they say otherwise): black, white, red', () => {
    expect(firstPixel(i420(4, 4, [16, 128, 128], LIMITED_601))).toEqual([0, 0, 0]);
    expect(firstPixel(i420(4, 4, [235, 128, 128], LIMITED_601))).toEqual([255, 255, 255]);
    const red = firstPixel(i420(4, 4, [81, 90, 240], LIMITED_601));
    expect(red[0]).toBeGreaterThanOrEqual(253);
    expect(red[1]).toBeLessThanOrEqual(2);
    expect(red[2]).toBeLessThanOrEqual(2);
  });

  it('reads full-range (JPEG-style) and BT.709 frames by their own rules', () => {
    expect(firstPixel(i420(4, 4, [255, 128, 128], { matrix: 'bt601', fullRange: true }))).toEqual([255, 255, 255]);
    expect(firstPixel(i420(4, 4, [128, 128, 128], { matrix: 'bt601', fullRange: true }))).toEqual([128, 128, 128]);
    // Pure red in BT.709 limited range is Y 63, U 102, V 240; read as BT.601 it would come out darker.
    const red709 = firstPixel(i420(4, 4, [63, 102, 240], { matrix: 'bt709', fullRange: false }));
    expect(red709[0]).toBeGreaterThanOrEqual(253);
    expect(red709[1]).toBeLessThanOrEqual(3);
    const asIf601 = firstPixel(i420(4, 4, [63, 102, 240], LIMITED_601));
    expect(asIf601[0]).toBeLessThan(240);
  });

  it('gives the same colours from NV12 as from I420', () => {
    const yuv: [number, number, number] = [120, 90, 200];
    expect(firstPixel(nv12(8, 4, yuv, LIMITED_601))).toEqual(firstPixel(i420(8, 4, yuv, LIMITED_601)));
  });

  it('samples a shrunk picture at each pixel\'s centre, as a bilinear resize does, at the right size', () => {
    // Luma columns alternating 16 and 235 (black and white stripes): shrunk by 2, every pixel is mid-grey.
    const f = i420(8, 4, [16, 128, 128], LIMITED_601);
    for (let y = 0; y < 4; y++) for (let x = 1; x < 8; x += 2) f.data[y * 8 + x] = 235;
    const { rgb, width, height } = planesToRgb(f, 2);
    expect([width, height]).toEqual([4, 2]);
    for (const v of rgb) expect(v).toBeCloseTo(127.5, 0);
    // Shrunk by 4, each output pixel is the middle 2×2 of its 4×4 block: a bright middle counts fully.
    const g = i420(8, 8, [16, 128, 128], LIMITED_601);
    for (const [x, y] of [[1, 1], [2, 1], [1, 2], [2, 2]] as const) g.data[y * 8 + x] = 235;
    expect(Math.round(planesToRgb(g, 4).rgb[0] ?? NaN)).toBe(255);
    expect(Math.round(planesToRgb(g, 4).rgb[3] ?? NaN)).toBe(0);
  });

  it('reads RGBA and BGRA with their channels in the right places, honouring the row stride', () => {
    const width = 2;
    const stride = 12; // padded rows
    const data = new Uint8Array(stride * 2);
    for (let y = 0; y < 2; y++) for (let x = 0; x < width; x++) data.set([200, 100, 50, 255], y * stride + x * 4);
    const rgba: PlaneFrame = { format: 'RGBA', width, height: 2, data, planes: [{ offset: 0, stride }], color: LIMITED_601 };
    expect(Array.from(planesToRgb(rgba, 1).rgb)).toEqual([200, 100, 50, 200, 100, 50, 200, 100, 50, 200, 100, 50]);
    expect(firstPixel({ ...rgba, format: 'BGRA' })).toEqual([50, 100, 200]);
  });

  it('reads one rectangle exactly as it would be cut out of the whole picture, in YUV and in RGBA', () => {
    // A picture where every pixel differs: luma and chroma ramps.
    const f = i420(16, 12, [0, 0, 0], LIMITED_601);
    f.data.forEach((_, i) => (f.data[i] = (i * 37 + (i >> 4) * 11) & 255));
    const rgba: PlaneFrame = { format: 'RGBA', width: 16, height: 12, data: f.data.slice(0, 16 * 12 * 4).map((v, i) => (v + i) & 255), planes: [{ offset: 0, stride: 64 }], color: LIMITED_601 };
    for (const frame of [f, rgba]) {
      for (const step of [1, 2]) {
        const whole = planesToRgb(frame, step);
        const area = { x: 3, y: 2, width: 4, height: 3 };
        const part = planesToRgb(frame, step, area);
        expect([part.width, part.height]).toEqual([4, 3]);
        const cut: number[] = [];
        for (let y = area.y; y < area.y + area.height; y++) cut.push(...whole.rgb.slice((y * whole.width + area.x) * 3, (y * whole.width + area.x + area.width) * 3));
        expect(Array.from(part.rgb)).toEqual(cut);
      }
    }
  });
});
