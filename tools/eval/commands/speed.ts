// `eval speed`: milliseconds per face in Node for each stage — detection + landmarks, alignment (warp),
// embedding — for every model, on this machine's backend (no caches: every image is run fresh).
import * as tf from '@tensorflow/tfjs-core';
import { subjectFaceIndex } from '../../../src/domain/subject-face.ts';
import { alignedCrops } from '../../../src/inference/face-embedding.ts';
import type { EmbedderId } from '../../../src/domain/embedder-specs.ts';
import { FaceStore } from '../face-store.ts';
import { listPeople } from '../person-folders.ts';

export interface SpeedReport {
  backend: string;
  images: number;
  detectMs: number;
  models: { model: EmbedderId; alignMs: number; embedMs: number }[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

export async function runSpeed(store: FaceStore, opts: { imagesDir: string; n: number; models: EmbedderId[] }): Promise<SpeedReport> {
  const paths = [...listPeople(opts.imagesDir).values()].map((p) => p[0] as string).slice(0, opts.n);
  const embedders = await Promise.all(opts.models.map((m) => store.embedder(m)));
  const detect: number[] = [];
  const align = opts.models.map(() => [] as number[]);
  const embed = opts.models.map(() => [] as number[]);
  for (const [k, path] of paths.entries()) {
    const image = FaceStore.load(path, 0);
    const batch = tf.expandDims<tf.Tensor4D>(image, 0);
    const t0 = performance.now();
    const faces = await store.detector.detect(batch);
    const t1 = performance.now();
    batch.dispose();
    const face = faces[subjectFaceIndex(faces.map((f) => f.box), image.shape[1], image.shape[0])];
    if (k > 0) detect.push(t1 - t0); // the first call includes one-off kernel set-up
    if (face) {
      for (const [i, embedder] of embedders.entries()) {
        const a0 = performance.now();
        const crops = alignedCrops(embedder, image, [face.points]);
        await crops.data();
        const a1 = performance.now();
        const vectors = await embedder.embedBatch(crops);
        const a2 = performance.now();
        crops.dispose();
        if (k > 0 && vectors.length === 1) {
          align[i]?.push(a1 - a0);
          embed[i]?.push(a2 - a1);
        }
      }
    }
    image.dispose();
  }
  return {
    backend: store.backend,
    images: paths.length,
    detectMs: median(detect),
    models: opts.models.map((model, i) => ({ model, alignMs: median(align[i] ?? []), embedMs: median(embed[i] ?? []) })),
  };
}

export function printSpeed(r: SpeedReport): void {
  console.log(`speed on ${r.backend}, median over ${r.images - 1} images (one core, Node):`);
  console.log(`  detection + landmarks: ${r.detectMs.toFixed(1)} ms per image`);
  for (const m of r.models) console.log(`  ${m.model}: alignment ${m.alignMs.toFixed(1)} ms, embedding ${m.embedMs.toFixed(1)} ms per face`);
}
