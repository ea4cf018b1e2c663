// The live-view stack in Node on tfjs wasm, through exactly the code the browser runs: verified models,
// Human on our tfjs, every face in a packaged group photo found with five points inside its box.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import jpeg from 'jpeg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { startVisionStack, type VisionStack } from '../../../src/inference/vision-stack.ts';

const modelsDir = resolve(import.meta.dirname, '../../../public/models');
const demoDir = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api')), '..', 'demo');

function photoTensor(name: string): tf.Tensor4D {
  const img = jpeg.decode(readFileSync(join(demoDir, name)), { useTArray: true, formatAsRGBA: true });
  return tf.tidy(() => {
    const rgba = tf.tensor3d(img.data, [img.height, img.width, 4], 'int32');
    return tf.expandDims(tf.slice(rgba, [0, 0, 0], [-1, -1, 3]), 0);
  });
}

let stack: VisionStack;
beforeAll(async () => {
  stack = await startVisionStack({
    source: (path) => Promise.resolve(new Response(readFileSync(join(modelsDir, path)))),
    modelsUrl: `${modelsDir}/`,
    backend: 'wasm',
  });
}, 120_000);

describe('vision stack in Node', () => {
  it('runs on the wasm backend it asked for', () => {
    expect(stack.backend.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('finds all three people in sample1.jpg, each with five points inside the box', async () => {
    const input = photoTensor('sample1.jpg');
    const faces = await stack.detector.detect(input);
    input.dispose();
    expect(faces).toHaveLength(3);
    for (const face of faces) {
      expect(face.score).toBeGreaterThan(0.5);
      const { box, points } = face;
      for (const p of [points.leftEye, points.rightEye, points.nose, points.mouthLeft, points.mouthRight]) {
        expect(p.x).toBeGreaterThan(box.x);
        expect(p.x).toBeLessThan(box.x + box.width);
        expect(p.y).toBeGreaterThan(box.y);
        expect(p.y).toBeLessThan(box.y + box.height);
      }
      // Eyes above the mouth, left eye left of the right eye, in image coordinates.
      expect(points.leftEye.x).toBeLessThan(points.rightEye.x);
      expect(Math.max(points.leftEye.y, points.rightEye.y)).toBeLessThan(Math.min(points.mouthLeft.y, points.mouthRight.y));
    }
  });

  it('says "no faces" for an image without a face instead of failing', async () => {
    const blank = tf.fill<tf.Rank.R4>([1, 480, 640, 3], 128, 'int32');
    const faces = await stack.detector.detect(blank);
    blank.dispose();
    expect(faces).toEqual([]);
  });

  it('does not leak tensors per frame', async () => {
    const input = photoTensor('sample2.jpg');
    await stack.detector.detect(input);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await stack.detector.detect(input);
    expect(tf.memory().numTensors).toBe(before);
    input.dispose();
  });
});
