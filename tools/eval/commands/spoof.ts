// `eval spoof`: how Human's antispoof and liveness models score real faces — one photo per person from a
// folder-per-person set (LFW: every photo is of a real face) — so the share of real people the gate would
// refuse is measured, not guessed. Prints score percentiles and the refusal rate at several thresholds.
// With --recapture every photo is first turned into a simulated screen replay (recapture.ts): the
// "refused" column then reads as the share of those attacks caught.
import * as tf from '@tensorflow/tfjs-core';
import { subjectFaceIndex } from '../../../src/domain/subject-face.ts';
import { FaceStore } from '../face-store.ts';
import { listPeople } from '../person-folders.ts';
import { Progress } from '../progress.ts';
import { simulatedRecapture } from '../recapture.ts';
import { looksSpoofed, SPOOF_POLICY, type SpoofPolicy } from '../../../src/domain/anti-spoofing.ts';

export interface SpoofReport {
  recapture: boolean;
  images: number;
  scored: number;
  noFace: number;
  /** Percentiles (1, 5, 10, 25, 50) of each score over the real faces. */
  percentiles: { p: number; real: number; live: number }[];
  /** Share of real faces refused when a score must reach the threshold. */
  refused: { threshold: number; byReal: number; byLive: number; byEither: number }[];
  /** Share refused by the policy the app ships (anti-spoofing.ts). */
  shipped: SpoofPolicy & { refused: number };
  msPerFace: { withCheck: number; without: number };
}

const THRESHOLDS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.floor(q * s.length)))] ?? Number.NaN;
};

export async function runSpoof(store: FaceStore, opts: { imagesDir: string; n: number; recapture: boolean }): Promise<SpoofReport> {
  const paths = [...listPeople(opts.imagesDir).values()].map((p) => p[0] as string).slice(0, opts.n);
  const detector = await store.spoofDetector();
  const real: number[] = [];
  const live: number[] = [];
  const withCheck: number[] = [];
  const without: number[] = [];
  let noFace = 0;
  const progress = new Progress('spoof', paths.length);
  for (const [k, path] of paths.entries()) {
    const photo = FaceStore.load(path, 0);
    const image = opts.recapture ? simulatedRecapture(photo) : photo;
    if (image !== photo) photo.dispose();
    const batch = tf.expandDims<tf.Tensor4D>(image, 0);
    try {
      const t0 = performance.now();
      const faces = await detector.detect(batch, false, true);
      const t1 = performance.now();
      if (k % 10 === 1) {
        await detector.detect(batch, false, false);
        without.push(performance.now() - t1);
      }
      if (k > 0) withCheck.push(t1 - t0);
      const face = faces[subjectFaceIndex(faces.map((f) => f.box), image.shape[1], image.shape[0])];
      if (face?.spoof) {
        real.push(face.spoof.real);
        live.push(face.spoof.live);
      } else {
        noFace += 1;
      }
    } finally {
      batch.dispose();
      image.dispose();
    }
    progress.tick();
  }
  const share = (xs: readonly number[], t: number) => xs.filter((x) => x < t).length / Math.max(1, xs.length);
  return {
    recapture: opts.recapture,
    images: paths.length,
    scored: real.length,
    noFace,
    percentiles: [0.01, 0.05, 0.1, 0.25, 0.5].map((p) => ({ p, real: quantile(real, p), live: quantile(live, p) })),
    refused: THRESHOLDS.map((threshold) => ({
      threshold,
      byReal: share(real, threshold),
      byLive: share(live, threshold),
      byEither: real.filter((r, i) => r < threshold || (live[i] ?? 0) < threshold).length / Math.max(1, real.length),
    })),
    shipped: { ...SPOOF_POLICY, refused: real.filter((r, i) => looksSpoofed({ real: r, live: live[i] ?? 0 })).length / Math.max(1, real.length) },
    msPerFace: { withCheck: quantile(withCheck, 0.5), without: quantile(without, 0.5) },
  };
}

export function printSpoof(r: SpoofReport): void {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  console.log(`${r.scored} ${r.recapture ? 'simulated screen replays of real faces' : 'real faces'} scored (${r.images} images, ${r.noFace} without a face)`);
  console.log('score percentiles   real   live');
  for (const p of r.percentiles) console.log(`  p${String(p.p * 100).padEnd(3)}             ${p.real.toFixed(2)}   ${p.live.toFixed(2)}`);
  console.log('threshold  refused by real  by live  by either');
  for (const t of r.refused) console.log(`  ${t.threshold.toFixed(2)}     ${pct(t.byReal).padStart(8)}  ${pct(t.byLive).padStart(8)}  ${pct(t.byEither).padStart(8)}`);
  console.log(`shipped policy (real ≥ ${r.shipped.minReal}, live ≥ ${r.shipped.minLive}): ${pct(r.shipped.refused)} refused`);
  console.log(`detection per image, median: ${r.msPerFace.withCheck.toFixed(1)} ms with the check, ${r.msPerFace.without.toFixed(1)} ms without`);
}
