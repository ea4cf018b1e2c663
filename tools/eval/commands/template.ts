// `eval template`: measures where our five points land in a true dlib face chip (150 px, padding 0.25),
// so the dlib ResNet sees faces aligned as in its training. face-api's 68-point landmarks (dlib's
// scheme) place each LFW face onto dlib's mean shape; our five mesh points are carried along and averaged.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Point } from '../../../src/domain/geometry.ts';
import { subjectFaceIndex } from '../../../src/domain/subject-face.ts';
import { applySimilarity, fitSimilarity } from '../../../src/domain/similarity-transform.ts';
import { pointList } from '../../../src/inference/face-warp.ts';
import { DLIB_MEAN_FACE_X, DLIB_MEAN_FACE_Y } from '../dlib-mean-face.ts';
import { FaceStore } from '../face-store.ts';
import { listPeople } from '../person-folders.ts';

interface FaceApi {
  nets: { ssdMobilenetv1: { loadFromDisk(d: string): Promise<void> }; faceLandmark68Net: { loadFromDisk(d: string): Promise<void> } };
  detectSingleFace(t: tf.Tensor3D): { withFaceLandmarks(): Promise<{ landmarks: { positions: Point[] } } | undefined> };
}

export async function runTemplate(store: FaceStore, opts: { imagesDir: string; n: number; size: number; padding: number }): Promise<{ faces: number; template: Point[] }> {
  const require = createRequire(import.meta.url);
  const faceApiDir = join(dirname(require.resolve('@vladmandic/face-api')), '..');
  const faceapi = require(join(faceApiDir, 'dist/face-api.node-wasm.js')) as FaceApi;
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(join(faceApiDir, 'model'));
  await faceapi.nets.faceLandmark68Net.loadFromDisk(join(faceApiDir, 'model'));
  const chip = DLIB_MEAN_FACE_X.map((x, i) => ({
    x: ((x + opts.padding) / (1 + 2 * opts.padding)) * opts.size,
    y: (((DLIB_MEAN_FACE_Y[i] ?? 0) + opts.padding) / (1 + 2 * opts.padding)) * opts.size,
  }));
  const sum = Array.from({ length: 5 }, () => ({ x: 0, y: 0 }));
  let faces = 0;
  const paths = [...listPeople(opts.imagesDir).values()].map((p) => p[0] as string).slice(0, opts.n);
  for (const path of paths) {
    const image = FaceStore.load(path, 0);
    const batch = tf.expandDims<tf.Tensor4D>(image, 0);
    const ours = await store.detector.detect(batch);
    batch.dispose();
    const subject = ours[subjectFaceIndex(ours.map((f) => f.box), image.shape[1], image.shape[0])];
    const theirs = await faceapi.detectSingleFace(image).withFaceLandmarks();
    image.dispose();
    if (!subject || !theirs) continue;
    const toChip = fitSimilarity(theirs.landmarks.positions.slice(17, 68), chip);
    pointList(subject.points).forEach((p, i) => {
      const q = applySimilarity(toChip, p);
      (sum[i] as Point & { x: number; y: number }).x += q.x;
      (sum[i] as Point & { x: number; y: number }).y += q.y;
    });
    faces++;
  }
  return { faces, template: sum.map((s) => ({ x: Number((s.x / faces).toFixed(3)), y: Number((s.y / faces).toFixed(3)) })) };
}
