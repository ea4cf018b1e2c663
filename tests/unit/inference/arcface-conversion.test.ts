// The install-time ONNX → tfjs conversion of faceplugin's MobileFaceNet, checked against the ONNX file
// itself run by onnxruntime-web (wasm, in Node): on the aligned faces of the packaged demo photos, in one
// batch of every face and its mirror image, each output component agrees within 1e-4.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-web';
import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { startVisionStack, type VisionStack } from '../../../src/inference/vision-stack.ts';
import { loadManifest } from '../../../src/inference/live-view-files.ts';
import { alignedCrops } from '../../../src/inference/face-embedding.ts';
import { loadEmbedder } from '../../../src/inference/embedders/load-embedder.ts';
import type { FaceEmbedder } from '../../../src/inference/embedders/face-embedder.ts';
import { convertOnnx } from '../../../tools/onnx-to-tfjs.ts';
import { MODELS_DIR, diskSource, packedOnnx, samplePhoto } from '../support/node-models.ts';

const { source, bytes: onnxBytes } = packedOnnx('arcface-mobilefacenet');

let stack: VisionStack;
let ours: FaceEmbedder;
let session: ort.InferenceSession;

beforeAll(async () => {
  await tf.setBackend('wasm');
  stack = await startVisionStack({ source: diskSource, modelsUrl: `${MODELS_DIR}/`, backend: 'wasm' });
  ours = await loadEmbedder('arcface-mobilefacenet', await loadManifest(diskSource), diskSource);
  ort.env.wasm.numThreads = 1;
  session = await ort.InferenceSession.create(onnxBytes());
}, 120_000);

/** The ONNX model's raw output for one aligned crop (RGB 0-255), fed as the package's graph wants it. */
async function reference(crop: tf.Tensor4D): Promise<Float32Array> {
  const nchw = tf.tidy(() => tf.transpose(tf.div(tf.sub(tf.reverse(crop, -1), 127), 128), [0, 3, 1, 2]));
  const data = (await nchw.data()) as Float32Array;
  nchw.dispose();
  const out = await session.run({ input: new ort.Tensor('float32', data, [1, 3, 112, 112]) });
  return out.output?.data as Float32Array;
}

describe('arcface-mobilefacenet conversion', () => {
  it.each(['sample1.jpg', 'sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg', 'sample6.jpg'])(
    'equals the ONNX model on every face of %s and its mirror, within 1e-4, in one batch',
    async (photo) => {
      const image = samplePhoto(photo);
      const batch = tf.expandDims<tf.Tensor4D>(image, 0);
      const faces = await stack.detector.detect(batch);
      batch.dispose();
      expect(faces.length).toBeGreaterThan(0);
      const crops = tf.tidy(() => {
        const c = alignedCrops(ours, tf.cast(image, 'float32'), faces.map((f) => f.points));
        return tf.concat([c, tf.image.flipLeftRight(c)], 0);
      });
      image.dispose();
      const mine = await ours.embedBatch(crops);
      expect(mine).toHaveLength(2 * faces.length);
      for (const [i, vector] of mine.entries()) {
        const one = tf.slice(crops, [i, 0, 0, 0], [1, -1, -1, -1]);
        const ref = await reference(one);
        one.dispose();
        expect(vector).toHaveLength(512);
        let maxDiff = 0;
        for (let k = 0; k < 512; k++) maxDiff = Math.max(maxDiff, Math.abs((vector[k] ?? NaN) - (ref[k] ?? NaN)));
        expect(maxDiff).toBeLessThan(1e-4);
      }
      crops.dispose();
    },
    120_000,
  );
});

describe('ONNX converter: bad input', () => {
  const { onnx } = onnxProto;
  /** A real file's graph with one extra node of an op the converter does not know. */
  function withExtraOp(op: string): Uint8Array {
    const model = onnx.ModelProto.decode(onnxBytes());
    model.graph?.node?.push(onnx.NodeProto.create({ opType: op, name: 'extra', input: ['output'], output: ['extra_out'] }));
    return onnx.ModelProto.encode(model).finish();
  }

  it('names the op and the file when the graph holds an op it does not support', () => {
    expect(() => convertOnnx(withExtraOp('Softmax'), 'model/odd.onnx', 'x')).toThrow(/model\/odd\.onnx: ONNX op Softmax .*not supported/);
  });

  it('converts the shipped file to the bytes pinned in the manifest', async () => {
    const manifest = await loadManifest(diskSource);
    const entry = manifest.models.find((m) => m.id === 'arcface-mobilefacenet');
    const { graph, bin } = convertOnnx(onnxBytes(), source.onnx.file, source.onnx.sha256);
    const { createHash } = await import('node:crypto');
    const hash = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    expect(entry?.converted).toEqual({ from: 'model/fr_feature.onnx', sha256: source.onnx.sha256 });
    expect(entry?.files.map((f) => f.sha256)).toEqual([hash(Buffer.from(`${JSON.stringify(graph)}\n`)), hash(bin)]);
  });
});
