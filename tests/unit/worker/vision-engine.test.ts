// The inference engine as the worker runs it, in Node: real models on wasm, frames handed over as RGBA
// camera frames, and the stored face's JPEG made and read by a pure-JS codec in place of the canvas.
// A photo's faces are captured with their stored faces, re-embedding those JPEGs gives back the
// captured embeddings, a live frame names the enrolled person, and none of it leaves a tensor behind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import jpeg from 'jpeg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { squaredDistance } from '../../../src/domain/embedding.ts';
import type { ImageCodec } from '../../../src/inference/image-codec.ts';
import type { FrameImage } from '../../../src/inference/frame-pixels.ts';
import { VisionEngine } from '../../../src/worker/vision-engine.ts';
import type { CapturedSample } from '../../../src/worker/protocol.ts';
import { FACE_API_DIR, MODELS_DIR, diskSource } from '../support/node-models.ts';

const jpegJs: ImageCodec = {
  encodeJpeg: ({ rgba, width, height }, quality) =>
    Promise.resolve(new Blob([new Uint8Array(jpeg.encode({ data: Buffer.from(rgba), width, height }, quality * 100).data)], { type: 'image/jpeg' })),
  decode: async (file) => {
    const img = jpeg.decode(Buffer.from(await file.arrayBuffer()), { useTArray: true, formatAsRGBA: true });
    return { rgba: new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), width: img.width, height: img.height };
  },
};

/**
 * A demo photo, or a part of it, as the camera track would hand it over: an RGBA VideoFrame (only what
 * the engine reads of one).
 */
function cameraFrame(photo: string, crop?: { x: number; y: number; width: number; height: number }): FrameImage {
  const img = jpeg.decode(readFileSync(join(FACE_API_DIR, 'demo', photo)), { useTArray: true, formatAsRGBA: true });
  const { width, height } = crop ?? img;
  const { x, y } = crop ?? { x: 0, y: 0 };
  const data = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) data.set(img.data.subarray(((y + row) * img.width + x) * 4, ((y + row) * img.width + x + width) * 4), row * width * 4);
  const frame = {
    format: 'RGBA', codedWidth: width, codedHeight: height, displayWidth: width, displayHeight: height,
    visibleRect: { x: 0, y: 0, width, height }, colorSpace: { matrix: 'rgb', fullRange: true },
    allocationSize: () => data.length,
    copyTo: (dest: Uint8Array) => {
      dest.set(data);
      return Promise.resolve([{ offset: 0, stride: width * 4 }]);
    },
    close: () => undefined,
  };
  return frame as unknown as FrameImage;
}

let engine: VisionEngine;
let captured: CapturedSample[];
let tensorsAfterStart: number;

beforeAll(async () => {
  await tf.setBackend('wasm');
  engine = await VisionEngine.start(
    { kind: 'start', modelsUrl: `${MODELS_DIR}/`, modelId: 'arcface-mobilefacenet', backend: 'wasm' },
    () => undefined, undefined, { source: diskSource, codec: jpegJs },
  );
  tensorsAfterStart = tf.memory().numTensors;
  captured = await engine.capture(cameraFrame('sample2.jpg'));
}, 180_000);

describe('vision engine', () => {
  it('captures every face of a photo with its embedding, quality and stored face as a JPEG', async () => {
    expect(captured).toHaveLength(3);
    for (const c of captured) {
      expect(c.embedding.modelId).toBe('arcface-mobilefacenet');
      expect(c.embedding.vector).toHaveLength(512);
      expect(c.quality.faceCount).toBe(3);
      const bytes = new Uint8Array(await c.thumbnail.arrayBuffer());
      expect([bytes[0], bytes[1], bytes[2]]).toEqual([0xff, 0xd8, 0xff]);
      expect((await jpegJs.decode(c.thumbnail)).width).toBe(240);
    }
    expect(tf.memory().numTensors).toBe(tensorsAfterStart);
  });

  it('re-embeds each stored JPEG to the captured embedding, on the active model and for the next one, leaking nothing', async () => {
    for (const c of captured) {
      // Bounds from stored-face.test.ts (the same faces through jpeg-js at quality 0.9).
      expect(squaredDistance(await engine.embedStored(c.thumbnail), c.embedding)).toBeLessThan(0.07);
      const next = await engine.embedStored(c.thumbnail, 'dlib-resnet');
      expect(next.modelId).toBe('dlib-resnet');
      expect(next.vector).toHaveLength(128);
    }
    const before = tf.memory().numTensors;
    await engine.embedStored(captured[0]!.thumbnail);
    await engine.embedStored(captured[0]!.thumbnail, 'dlib-resnet');
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('names the enrolled person in a live frame, and not a stranger', async () => {
    // The live clip's view of sample2: the person on the right, 640×480 as a webcam gives it.
    const webcam = { x: 1190, y: 40, width: 720, height: 540 };
    const inView = captured.find((c) => c.face.box.x > webcam.x);
    const stranger = captured.find((c) => c.face.box.x + c.face.box.width < webcam.x);
    if (!inView || !stranger) throw new Error('sample2 has a face on each side of the crop');
    const policy = { threshold: engine.info.calibrated?.threshold ?? 1, minMargin: 0 };
    const galleryOf = (personId: string, c: CapturedSample) => ({ modelId: 'arcface-mobilefacenet', dims: 512, owners: [personId], matrix: c.embedding.vector.slice(), head: null });
    engine.setGallery(galleryOf('ada', inView), policy);
    const named = await engine.recognize(cameraFrame('sample2.jpg', webcam), 0);
    expect(named.faces.map((f) => f.identity)).toEqual([expect.objectContaining({ kind: 'known', personId: 'ada' })]);
    engine.setGallery(galleryOf('eve', stranger), policy);
    const unknown = await engine.recognize(cameraFrame('sample2.jpg', webcam), 1000);
    expect(unknown.faces.map((f) => f.identity.kind)).toEqual(['unknown']);
  }, 120_000);

  it('embeds no face on a live frame that ran blazeface once a face is named, and the face due on the next frame', async () => {
    const webcam = { x: 1190, y: 40, width: 720, height: 540 };
    const inView = captured.find((c) => c.face.box.x > webcam.x);
    if (!inView) throw new Error('sample2 has a face inside the crop');
    engine.setGallery({ modelId: 'arcface-mobilefacenet', dims: 512, owners: ['ada'], matrix: inView.embedding.vector.slice(), head: null }, { threshold: engine.info.calibrated?.threshold ?? 1, minMargin: 0 });
    const frames: { blazeface: boolean; embedded: boolean | undefined }[] = [];
    // A face moving 4 px a frame, due for its check on every frame (1.1 s apart on the request clock).
    for (let i = 0; i < 9; i++) {
      const before = engine.blazefaceRuns;
      const out = await engine.recognize(cameraFrame('sample2.jpg', { ...webcam, x: webcam.x - 4 * i }), 10_000 + i * 1100);
      frames.push({ blazeface: engine.blazefaceRuns > before, embedded: out.faces[0]?.embedded });
    }
    // The first frame ran blazeface and embedded the face (nothing had a name yet); a later one ran it again.
    expect(frames[0]).toEqual({ blazeface: true, embedded: true });
    expect(frames.slice(1).filter((f) => f.blazeface).length).toBeGreaterThan(0);
    for (const f of frames.slice(1)) expect(f.embedded).toBe(!f.blazeface);
  }, 120_000);

  it('refuses a stored face that is not an image, with the decoder\'s reason', async () => {
    await expect(engine.embedStored(new Blob([new TextEncoder().encode('<html>')]))).rejects.toThrow();
  });
});
