// In a live video the mesh follows each face from frame to frame and blazeface runs only now and then,
// even while the whole picture moves (a camera panning across a group): checked on a packaged group
// photo seen through a window that slides 4 px a frame, against full detection on every frame. A new
// face must still be found once blazeface's turn comes, and a frame after every face is lost must look
// again at once.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_REDETECT_FRAMES, LIVE_REDETECT_MS, type DetectedFace, type FaceDetector } from '../../../src/inference/face-detector.ts';
import { startVisionStack } from '../../../src/inference/vision-stack.ts';
import { MODELS_DIR, diskSource, samplePhoto } from '../support/node-models.ts';

const FRAMES = 24;
const STEP_PX = 4;
const [WIDTH, HEIGHT] = [320, 240];

let detector: FaceDetector;
/** sample1.jpg (three people) shrunk to 270 px high: the window slides across its width. */
let scene: tf.Tensor3D;

beforeAll(async () => {
  ({ detector } = await startVisionStack({ source: diskSource, modelsUrl: `${MODELS_DIR}/`, backend: 'wasm', skipWarmUp: true }));
  const photo = samplePhoto('sample1.jpg');
  scene = tf.tidy(() => tf.image.resizeBilinear(tf.cast(photo, 'float32'), [270, 405]));
  photo.dispose();
}, 120_000);

afterAll(() => scene.dispose());

/** Frame i of the pan: the window moved i × STEP_PX to the right. */
function frame(i: number): tf.Tensor4D {
  return tf.tidy(() => tf.expandDims<tf.Tensor4D>(tf.slice(scene, [15, i * STEP_PX, 0], [HEIGHT, WIDTH, 3]), 0));
}

async function pan(mode: 'video' | 'every-frame'): Promise<{ runs: number; faces: DetectedFace[][]; ms: number }> {
  const before = detector.blazefaceRuns;
  const t0 = performance.now();
  const faces: DetectedFace[][] = [];
  for (let i = 0; i < FRAMES; i++) {
    const image = frame(i);
    faces.push(await detector.detect(image, mode));
    image.dispose();
  }
  return { runs: detector.blazefaceRuns - before, faces, ms: performance.now() - t0 };
}

const centreX = (f: DetectedFace) => f.box.x + f.box.width / 2;

describe('following faces in a live video', () => {
  it('runs blazeface on every frame only when asked to', async () => {
    const every = await pan('every-frame');
    expect(every.runs).toBe(FRAMES);
  }, 120_000);

  it("counts only its own blazeface runs when another detector shares Human's models (a model switch, the bench's engines)", async () => {
    const other = (await startVisionStack({ source: diskSource, modelsUrl: `${MODELS_DIR}/`, backend: 'wasm', skipWarmUp: true })).detector;
    const otherBefore = other.blazefaceRuns;
    const every = await pan('every-frame');
    expect(every.runs).toBe(FRAMES);
    expect(other.blazefaceRuns - otherBefore).toBe(0);
    const image = frame(0);
    await other.detect(image, 'every-frame');
    image.dispose();
    expect(other.blazefaceRuns - otherBefore).toBe(1);
  }, 120_000);

  it('follows each face of a panning scene with the mesh, where full detection sees the same faces', async () => {
    const start = frame(0);
    await detector.detect(start, 'photo'); // a photo in between leaves no faces to follow from
    start.dispose();
    const every = await pan('every-frame');
    const video = await pan('video');
    // Blazeface runs on the first frame, then after LIVE_REDETECT_FRAMES followed frames or
    // LIVE_REDETECT_MS, whichever comes first (on a loaded machine the pan outlasts a few of those).
    expect(video.runs).toBeLessThanOrEqual(Math.ceil(FRAMES / (LIVE_REDETECT_FRAMES + 1)) + 1 + Math.floor(video.ms / LIVE_REDETECT_MS));
    expect(video.runs).toBeGreaterThanOrEqual(1);
    const sure = (faces: DetectedFace[] | undefined) => (faces ?? []).filter((f) => f.score >= 0.5);
    const near = (a: DetectedFace, x: number) => Math.abs(centreX(a) - x) < a.box.width / 5;
    const first = sure(every.faces[0]);
    expect(first.length).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < FRAMES; i++) {
      const followed = video.faces[i] ?? [];
      // Every face of the first frame, where full detection still sees it, is followed: its centre and
      // five points within a fifth (a tenth) of its size of where full detection puts them.
      for (const face of sure(every.faces[i]).filter((f) => first.some((f0) => near(f, centreX(f0) - i * STEP_PX)))) {
        const twin = followed.find((f) => near(face, centreX(f)));
        expect(twin, `frame ${i}: face at x ${Math.round(centreX(face))} not followed`).toBeDefined();
        if (!twin) continue;
        expect(Math.abs(twin.points.leftEye.x - face.points.leftEye.x)).toBeLessThan(face.box.width / 10);
        expect(Math.abs(twin.points.nose.y - face.points.nose.y)).toBeLessThan(face.box.height / 10);
      }
    }
    // A face that walked in is found at blazeface's next turn: by the last frame, all of them are.
    const last = FRAMES - 1;
    for (const face of sure(every.faces[last])) {
      expect((video.faces[last] ?? []).some((f) => near(face, centreX(f))), `last frame: face at x ${Math.round(centreX(face))} not found`).toBe(true);
    }
  }, 240_000);

  it('looks afresh in the next live frame when told to (the bench starts each turn so)', async () => {
    await pan('video');
    const runsOf = async (i: number) => {
      const before = detector.blazefaceRuns;
      const image = frame(i);
      await detector.detect(image, 'video');
      image.dispose();
      return detector.blazefaceRuns - before;
    };
    detector.lookAfresh();
    expect(await runsOf(0)).toBe(1);
    expect(await runsOf(1)).toBe(0); // followed
    detector.lookAfresh();
    expect(await runsOf(2)).toBe(1);
  }, 120_000);

  it('looks afresh in the first live frame after a photo, whose faces are in other pixels', async () => {
    await pan('video');
    const photo = tf.expandDims<tf.Tensor4D>(scene, 0); // 405 × 270: not the live frame's pixels
    await detector.detect(photo, 'photo');
    photo.dispose();
    const runs = detector.blazefaceRuns;
    const image = frame(0);
    const found = await detector.detect(image, 'video');
    const full = await detector.detect(image, 'every-frame');
    image.dispose();
    expect(detector.blazefaceRuns - runs).toBe(2);
    expect(found.map((f) => Math.round(f.box.x))).toEqual(full.map((f) => Math.round(f.box.x)));
  }, 120_000);

  it('looks again at once when the faces it followed are gone', async () => {
    await pan('video');
    const before = detector.blazefaceRuns;
    const blank = tf.zeros<tf.Rank.R4>([1, HEIGHT, WIDTH, 3]);
    expect(await detector.detect(blank, 'video')).toEqual([]);
    expect(await detector.detect(blank, 'video')).toEqual([]);
    blank.dispose();
    const back = frame(0);
    const found = await detector.detect(back, 'video');
    back.dispose();
    expect(found.length).toBeGreaterThan(0);
    // The blank frames lost every face, so each later frame ran blazeface.
    expect(detector.blazefaceRuns - before).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
