// Our dlib ResNet forward pass equals @vladmandic/face-api's computeFaceDescriptor on face-api's own
// crops of the packaged sample photos, within 1e-4.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { startVisionStack } from '../../../src/inference/vision-stack.ts';
import { loadManifest } from '../../../src/inference/live-view-files.ts';
import { alignedCrops, embedFaces } from '../../../src/inference/face-embedding.ts';
import { l2Normalize } from '../../../src/domain/embedding.ts';
import { MODELS_DIR } from '../support/node-models.ts';
import { loadEmbedder } from '../../../src/inference/embedders/load-embedder.ts';
import type { FaceEmbedder } from '../../../src/inference/embedders/face-embedder.ts';
import { FACE_API_DIR, diskSource, samplePhoto } from '../support/node-models.ts';

interface FaceApi {
  nets: {
    ssdMobilenetv1: { loadFromDisk(dir: string): Promise<void> };
    faceLandmark68Net: { loadFromDisk(dir: string): Promise<void> };
    faceRecognitionNet: { loadFromDisk(dir: string): Promise<void>; computeFaceDescriptor(t: tf.Tensor3D): Promise<Float32Array> };
  };
  detectAllFaces(t: tf.Tensor3D): { withFaceLandmarks(): Promise<{ alignedRect: unknown }[]> };
  extractFaceTensors(t: tf.Tensor3D, boxes: unknown[]): Promise<tf.Tensor3D[]>;
}

let faceapi: FaceApi;
let ours: FaceEmbedder;

beforeAll(async () => {
  await tf.setBackend('wasm');
  // face-api's Node wasm build requires the CommonJS @tensorflow/tfjs: the same tfjs-core instance as ours.
  faceapi = createRequire(import.meta.url)(join(FACE_API_DIR, 'dist/face-api.node-wasm.js')) as FaceApi;
  const modelDir = join(FACE_API_DIR, 'model');
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
  ours = await loadEmbedder('dlib-resnet', await loadManifest(diskSource), diskSource);
}, 120_000);

describe('dlib ResNet forward pass', () => {
  it.each(['sample1.jpg', 'sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg', 'sample6.jpg'])(
    'matches face-api on every face of %s within 1e-4',
    async (photo) => {
      const image = samplePhoto(photo);
      const detections = await faceapi.detectAllFaces(image).withFaceLandmarks();
      expect(detections.length).toBeGreaterThan(0);
      const crops = await faceapi.extractFaceTensors(image, detections.map((d) => d.alignedRect));
      image.dispose();
      for (const crop of crops) {
        const face = tf.tidy(() => tf.image.resizeBilinear(tf.cast(crop, 'float32'), [150, 150]));
        crop.dispose();
        const reference = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(face);
        const batch = tf.expandDims<tf.Tensor4D>(face, 0);
        const [mine] = await ours.embedBatch(batch);
        batch.dispose();
        face.dispose();
        expect(mine).toHaveLength(128);
        let maxDiff = 0;
        for (let i = 0; i < 128; i++) maxDiff = Math.max(maxDiff, Math.abs((mine?.[i] ?? NaN) - (reference[i] ?? NaN)));
        expect(maxDiff).toBeLessThan(1e-4);
      }
    },
  );
});

describe('image → detection → alignment → embedding, in Node', () => {
  it('embeds every face of sample2.jpg as face-api would embed our aligned crop, within 1e-4', async () => {
    const stack = await startVisionStack({ source: diskSource, modelsUrl: `${MODELS_DIR}/`, backend: 'wasm' });
    const image = samplePhoto('sample2.jpg');
    const batch = tf.expandDims<tf.Tensor4D>(image, 0);
    const faces = await stack.detector.detect(batch);
    batch.dispose();
    expect(faces).toHaveLength(3);
    const points = faces.map((f) => f.points);
    const embeddings = await embedFaces(ours, image, points, { flip: false });
    const crops = alignedCrops(ours, image, points);
    image.dispose();
    expect(crops.shape).toEqual([3, 150, 150, 3]);
    for (const [i, embedding] of embeddings.entries()) {
      const crop = tf.tidy(() => tf.squeeze<tf.Tensor3D>(tf.slice(crops, [i, 0, 0, 0], [1, -1, -1, -1]), [0]));
      const reference = l2Normalize(await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(crop));
      crop.dispose();
      expect(embedding.modelId).toBe('dlib-resnet');
      let maxDiff = 0;
      for (let k = 0; k < 128; k++) maxDiff = Math.max(maxDiff, Math.abs((embedding.vector[k] ?? NaN) - (reference[k] ?? NaN)));
      expect(maxDiff).toBeLessThan(1e-4);
    }
    crops.dispose();
  }, 120_000);
});
