// The aligned face kept with each sample: re-embedding it (what a model switch does) gives back the
// embedding the live capture computed, for every face of a packaged sample photo, both from the tensor
// and through the quality-0.9 JPEG that is actually stored; and the whole round trip leaks no tensor.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { squaredDistance } from '../../../src/domain/embedding.ts';
import { startVisionStack } from '../../../src/inference/vision-stack.ts';
import { FIRST_STORED_FACE, STORED_FACE_JPEG_QUALITY, storedFaceJpeg } from '../../../src/inference/stored-face.ts';
import { alignmentFor, warpFace } from '../../../src/inference/face-warp.ts';
import type { EmbedderId } from '../../../src/domain/embedder-specs.ts';
import { MODELS_DIR, diskSource, samplePhoto } from '../support/node-models.ts';

/** What the browser's canvas does, with jpeg-js at the same quality. */
const encode = (rgba: Uint8ClampedArray, width: number, height: number) =>
  Promise.resolve(new Blob([new Uint8Array(jpeg.encode({ data: Buffer.from(rgba), width, height }, STORED_FACE_JPEG_QUALITY * 100).data)]));

async function decode(blob: Blob): Promise<tf.Tensor3D> {
  const img = jpeg.decode(Buffer.from(await blob.arrayBuffer()), { useTArray: true, formatAsRGBA: false });
  return tf.tensor3d(Float32Array.from(img.data), [img.height, img.width, 3]);
}

// Squared distances, measured on sample2's three faces (2026-12-02), worst of three: from the tensor
// dlib moves by 1.8e-4 and arcface by 0.048, through the JPEG by 3.7e-4 and 0.051 (arcface's 112 crop
// is the stored face shrunk 2.1×, pooled first, where the live crop comes from the photo itself).
const BOUNDS: [EmbedderId, number, number][] = [
  ['dlib-resnet', 0.001, 0.002],
  ['arcface-mobilefacenet', 0.06, 0.07],
];

describe.each(BOUNDS)('stored face, %s', (embedder, tensorBound, jpegBound) => {
  it('re-embeds to the live embedding, from the tensor and through the stored JPEG, leaking no tensor', async () => {
    const { analyzer } = await startVisionStack({ source: diskSource, modelsUrl: `${MODELS_DIR}/`, backend: 'wasm', embedder });
    if (!analyzer) throw new Error('no analyzer');
    const image = samplePhoto('sample2.jpg');
    const faces = await analyzer.detect(image);
    const before = tf.memory().numTensors;
    const captured = await analyzer.captureDetected(image, faces);
    expect(captured).toHaveLength(3);
    for (const face of captured) {
      const again = await analyzer.embedStoredFace(face.storedFace);
      const stored = await decode(await storedFaceJpeg(face.storedFace, encode));
      face.storedFace.dispose();
      const fromJpeg = await analyzer.embedStoredFace(stored);
      stored.dispose();
      // A crop placed even slightly differently (another alignment of the same face) moves it by 2–7·10⁻³.
      expect(squaredDistance(again, face.embedding)).toBeLessThan(tensorBound);
      expect(squaredDistance(fromJpeg, face.embedding)).toBeLessThan(jpegBound);
    }
    expect(tf.memory().numTensors).toBe(before);
    image.dispose();
  }, 120_000);

  it('re-embeds a sample stored in the first layout (224 px) from that layout\'s points', async () => {
    const { analyzer } = await startVisionStack({ source: diskSource, modelsUrl: `${MODELS_DIR}/`, backend: 'wasm', embedder });
    if (!analyzer) throw new Error('no analyzer');
    const image = tf.cast<tf.Tensor3D>(samplePhoto('sample2.jpg'), 'float32');
    const faces = await analyzer.detect(image);
    const [live] = await analyzer.embedDetected(image, faces.slice(0, 1));
    const first = tf.tidy(() => tf.squeeze<tf.Tensor3D>(warpFace(image, alignmentFor(faces[0]!.points, FIRST_STORED_FACE.template), FIRST_STORED_FACE.size), [0]));
    image.dispose();
    const again = await analyzer.embedStoredFace(first);
    first.dispose();
    // The first layout cuts the top of the ArcFace crop: that model moves more, as it always did.
    expect(squaredDistance(again, live!.embedding!)).toBeLessThan(embedder === 'dlib-resnet' ? tensorBound : 0.1);
  }, 120_000);
});
