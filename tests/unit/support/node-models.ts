// Test support: the production model loaders pointed at public/models on disk, and sample photos as tensors.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import jpeg from 'jpeg-js';
import type { ModelFileSource } from '../../../src/inference/verified-model-files.ts';
import { MODEL_SOURCES, type ConvertedSource } from '../../../tools/model-sources.ts';
import { packedFile } from '../../../tools/packed-model.ts';

export const MODELS_DIR = resolve(import.meta.dirname, '../../../public/models');
export const FACE_API_DIR = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api')), '..');

export const diskSource: ModelFileSource = (path) => Promise.resolve(new Response(readFileSync(join(MODELS_DIR, path))));

/** A face-api demo photo as an int32 [H, W, 3] tensor. */
export function samplePhoto(name: string): tf.Tensor3D {
  const img = jpeg.decode(readFileSync(join(FACE_API_DIR, 'demo', name)), { useTArray: true, formatAsRGBA: true });
  return tf.tidy(() => tf.slice(tf.tensor3d(img.data, [img.height, img.width, 4], 'int32'), [0, 0, 0], [-1, -1, 3]));
}

/** A converted model's source entry and its ONNX bytes, as the copy step packed them (onnxruntime-web's reference input). */
export function packedOnnx(id: string): { source: ConvertedSource; bytes: () => Uint8Array } {
  const source = MODEL_SOURCES.find((s): s is ConvertedSource => s.id === id && s.format === 'onnx-converted');
  if (!source) throw new Error(`${id} is not a converted ONNX model`);
  return { source, bytes: () => packedFile(source.onnx, join(MODELS_DIR, '../../node_modules/.cache/visage-models')) };
}
