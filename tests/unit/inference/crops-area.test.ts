// Embedding from only the part of a frame the aligned crops can see (what the live view converts from
// each camera frame) gives the embeddings of the whole frame.
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { fivePointsIn } from '../../../src/domain/geometry.ts';
import { cropsArea, embedFaces } from '../../../src/inference/face-embedding.ts';
import { startVisionStack } from '../../../src/inference/vision-stack.ts';
import { MODELS_DIR, diskSource, samplePhoto } from '../support/node-models.ts';

describe('embedding from the crops\' area', () => {
  it('equals embedding from the whole picture, for one face and for all of them, from a smaller area', async () => {
    const { analyzer } = await startVisionStack({ source: diskSource, modelsUrl: `${MODELS_DIR}/`, backend: 'wasm', embedder: 'dlib-resnet' });
    if (!analyzer) throw new Error('no analyzer');
    const image = samplePhoto('sample2.jpg');
    const [height, width] = image.shape;
    const faces = (await analyzer.detect(image)).map((f) => f.points);
    expect(faces.length).toBeGreaterThanOrEqual(2);
    for (const chosen of [faces.slice(0, 1), faces]) {
      const area = cropsArea(analyzer.embedder, chosen, width, height);
      if (!area) throw new Error('no area');
      if (chosen.length === 1) expect(area.width * area.height).toBeLessThan(width * height / 2);
      const whole = await embedFaces(analyzer.embedder, image, chosen, { flip: true });
      const part = tf.slice(image, [area.y, area.x, 0], [area.height, area.width, 3]);
      const fromArea = await embedFaces(analyzer.embedder, part, chosen.map((p) => fivePointsIn(p, area.x, area.y)), { flip: true });
      part.dispose();
      whole.forEach((w, i) => {
        const a = fromArea[i]?.vector ?? new Float32Array(0);
        expect(a.length).toBe(w.vector.length);
        expect(Math.max(...w.vector.map((v, j) => Math.abs(v - (a[j] ?? NaN))))).toBeLessThan(1e-5);
      });
    }
    image.dispose();
  });

  it('gives a photo\'s captures (embedding, stored face, sharpness) from each face\'s area alone', async () => {
    const { analyzer } = await startVisionStack({ source: diskSource, modelsUrl: `${MODELS_DIR}/`, backend: 'wasm', embedder: 'dlib-resnet' });
    if (!analyzer) throw new Error('no analyzer');
    const image = samplePhoto('sample2.jpg');
    const [height, width] = image.shape;
    const whole = await analyzer.captureDetected(image, await analyzer.detect(image));
    expect(whole.length).toBeGreaterThanOrEqual(2);
    for (const face of whole) {
      const area = analyzer.captureArea(face.points, width, height);
      if (!area) throw new Error('no area');
      expect(area.width * area.height).toBeLessThan(width * height / 4);
      const part = tf.slice(image, [area.y, area.x, 0], [area.height, area.width, 3]);
      const [alone] = await analyzer.captureDetected(part, [{ ...face, points: fivePointsIn(face.points, area.x, area.y) }]);
      part.dispose();
      if (!alone) throw new Error('not captured from its area');
      expect(Math.max(...face.embedding.vector.map((v, j) => Math.abs(v - (alone.embedding.vector[j] ?? NaN))))).toBeLessThan(1e-5);
      expect(tf.max(tf.abs(tf.sub(face.storedFace, alone.storedFace))).dataSync()[0]).toBeLessThan(1e-3);
      expect(alone.sharpness).toBeCloseTo(face.sharpness, 3);
      tf.dispose([face.storedFace, alone.storedFace]);
    }
    image.dispose();
  }, 120_000);

  it('is null when no crop sees the picture', async () => {
    const { analyzer } = await startVisionStack({ source: diskSource, modelsUrl: `${MODELS_DIR}/`, backend: 'wasm', embedder: 'dlib-resnet' });
    if (!analyzer) throw new Error('no analyzer');
    const far = { x: 5000, y: 5000 };
    const at = (dx: number, dy: number) => ({ x: far.x + dx, y: far.y + dy });
    expect(cropsArea(analyzer.embedder, [{ leftEye: at(0, 0), rightEye: at(40, 0), nose: at(20, 20), mouthLeft: at(5, 40), mouthRight: at(35, 40) }], 640, 480)).toBeNull();
  });
});
