// Test support: the production model loaders pointed at public/models on disk, and sample photos as tensors.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import jpeg from 'jpeg-js';
import type { ModelFileSource } from '../../../src/inference/verified-model-files.ts';

export const MODELS_DIR = resolve(import.meta.dirname, '../../../public/models');
export const FACE_API_DIR = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api')), '..');

export const diskSource: ModelFileSource = (path) => Promise.resolve(new Response(readFileSync(join(MODELS_DIR, path))));

/** A face-api demo photo as an int32 [H, W, 3] tensor. */
export function samplePhoto(name: string): tf.Tensor3D {
  const img = jpeg.decode(readFileSync(join(FACE_API_DIR, 'demo', name)), { useTArray: true, formatAsRGBA: true });
  return tf.tidy(() => tf.slice(tf.tensor3d(img.data, [img.height, img.width, 4], 'int32'), [0, 0, 0], [-1, -1, 3]));
}
