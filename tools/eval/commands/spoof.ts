// `eval spoof`: how well each anti-spoofing check tells real faces from replays. One photo per person
// from a folder-per-person set (LFW: every photo is of a real face) is scored as it is and as a simulated
// screen replay of itself (recapture.ts: no real attack photos ship in the packages), in the same pass,
// by the replay check the app uses (faceplugin-liveness) and by Human's antispoof and liveness models.
// For each check: the share of real faces refused and of replays caught at each floor, and the AUC.
import * as tf from '@tensorflow/tfjs-core';
import { subjectFaceIndex } from '../../../src/domain/subject-face.ts';
import { FaceStore } from '../face-store.ts';
import { listPeople } from '../person-folders.ts';
import { Progress } from '../progress.ts';
import { simulatedRecapture } from '../recapture.ts';
import { looksSpoofed, SPOOF_POLICY, type SpoofPolicy } from '../../../src/domain/anti-spoofing.ts';

/** The old gate, Human's two floors, kept as the figure to beat. */
const HUMAN_FLOORS = { minReal: 0.3, minLive: 0.5 };

type CheckName = 'replay check (faceplugin-liveness)' | "Human's antispoof (real)" | "Human's liveness (live)";

interface Scored {
  person: number;
  real: number;
  live: number;
}

export interface CheckReport {
  check: CheckName;
  auc: number;
  /** The real-face score percentiles 1, 5 and 50, and the replays' median. */
  realP1: number;
  realP5: number;
  realMedian: number;
  replayMedian: number;
  floors: { floor: number; refused: number; caught: number }[];
}

export interface SpoofReport {
  images: number;
  /** Photos with a face found both as they are and as a replay. */
  scored: number;
  noFace: number;
  checks: CheckReport[];
  shipped: SpoofPolicy & { refused: number; caught: number };
  humanFloors: typeof HUMAN_FLOORS & { refused: number; caught: number };
  msPerFace: { replayCheck: number; humanModels: number };
}

const FLOORS = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7];

const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.floor(q * s.length)))] ?? Number.NaN;
};

/** The chance that a random real face scores above a random replay (ties count half). */
function auc(real: readonly number[], replay: readonly number[]): number {
  const all = [...real.map((v) => ({ v, real: 1 })), ...replay.map((v) => ({ v, real: 0 }))].sort((a, b) => a.v - b.v);
  let rankSum = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && all[j]?.v === all[i]?.v) j++;
    const meanRank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (all[k]?.real) rankSum += meanRank;
    i = j;
  }
  return (rankSum - (real.length * (real.length + 1)) / 2) / Math.max(1, real.length * replay.length);
}

function checkReport(check: CheckName, real: readonly number[], replay: readonly number[]): CheckReport {
  const below = (xs: readonly number[], t: number) => xs.filter((x) => x < t).length / Math.max(1, xs.length);
  return {
    check, auc: auc(real, replay),
    realP1: quantile(real, 0.01), realP5: quantile(real, 0.05), realMedian: quantile(real, 0.5), replayMedian: quantile(replay, 0.5),
    floors: FLOORS.map((floor) => ({ floor, refused: below(real, floor), caught: below(replay, floor) })),
  };
}

export async function runSpoof(store: FaceStore, opts: { imagesDir: string; n: number }): Promise<SpoofReport> {
  const paths = [...listPeople(opts.imagesDir).values()].map((p) => p[0] as string).slice(0, opts.n);
  const detector = await store.spoofDetector();
  const replayCheck = await store.replayCheck();
  const real: Scored[] = [];
  const replay: Scored[] = [];
  const checkMs: number[] = [];
  const humanMs: number[] = [];
  let noFace = 0;
  const progress = new Progress('spoof', paths.length);
  for (const path of paths) {
    const photo = FaceStore.load(path, 0);
    const both = { real: photo, replay: simulatedRecapture(photo) };
    const found: Partial<Record<keyof typeof both, Scored>> = {};
    try {
      for (const kind of ['real', 'replay'] as const) {
        const image = both[kind];
        const batch = tf.expandDims<tf.Tensor4D>(image, 0);
        const t0 = performance.now();
        const plain = await detector.detect(batch, 'photo', false);
        const t1 = performance.now();
        const faces = await detector.detect(batch, 'photo', true);
        humanMs.push(performance.now() - t1 - (t1 - t0));
        batch.dispose();
        const face = faces[subjectFaceIndex(faces.map((f) => f.box), image.shape[1], image.shape[0])];
        if (!face?.humanSpoof || plain.length === 0) continue;
        const t2 = performance.now();
        const [person = Number.NaN] = await replayCheck.personScores(image, [face.box]);
        checkMs.push(performance.now() - t2);
        found[kind] = { person, ...face.humanSpoof };
      }
    } finally {
      both.real.dispose();
      both.replay.dispose();
    }
    if (found.real && found.replay) {
      real.push(found.real);
      replay.push(found.replay);
    } else {
      noFace += 1;
    }
    progress.tick();
  }
  replayCheck.dispose();
  const share = <T>(xs: readonly T[], f: (x: T) => boolean) => xs.filter(f).length / Math.max(1, xs.length);
  const humanRefuses = (s: Scored) => s.real < HUMAN_FLOORS.minReal || s.live < HUMAN_FLOORS.minLive;
  return {
    images: paths.length,
    scored: real.length,
    noFace,
    checks: [
      checkReport('replay check (faceplugin-liveness)', real.map((s) => s.person), replay.map((s) => s.person)),
      checkReport("Human's antispoof (real)", real.map((s) => s.real), replay.map((s) => s.real)),
      checkReport("Human's liveness (live)", real.map((s) => s.live), replay.map((s) => s.live)),
    ],
    shipped: { ...SPOOF_POLICY, refused: share(real, (s) => looksSpoofed(s)), caught: share(replay, (s) => looksSpoofed(s)) },
    humanFloors: { ...HUMAN_FLOORS, refused: share(real, humanRefuses), caught: share(replay, humanRefuses) },
    // The first of each is the compile: left out.
    msPerFace: { replayCheck: quantile(checkMs.slice(1), 0.5), humanModels: quantile(humanMs.slice(1), 0.5) },
  };
}

export function printSpoof(r: SpoofReport): void {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  console.log(`${r.scored} real faces, each also as a simulated screen replay (${r.images} images, ${r.noFace} without a face in one of the two)`);
  for (const c of r.checks) {
    console.log(`\n${c.check}: AUC ${c.auc.toFixed(3)}; real faces p1 ${c.realP1.toFixed(3)}, p5 ${c.realP5.toFixed(3)}, median ${c.realMedian.toFixed(3)}; replays median ${c.replayMedian.toFixed(3)}`);
    console.log('  floor   real faces refused   replays caught');
    for (const f of c.floors) console.log(`  ${f.floor.toFixed(2)}    ${pct(f.refused).padStart(8)}             ${pct(f.caught).padStart(8)}`);
  }
  console.log(`\nshipped policy (person ≥ ${r.shipped.minPerson}): ${pct(r.shipped.refused)} of real faces refused, ${pct(r.shipped.caught)} of replays caught`);
  console.log(`Human's floors (real ≥ ${r.humanFloors.minReal}, live ≥ ${r.humanFloors.minLive}): ${pct(r.humanFloors.refused)} refused, ${pct(r.humanFloors.caught)} caught`);
  console.log(`time per face, median: replay check ${r.msPerFace.replayCheck.toFixed(1)} ms, Human's two models ${r.msPerFace.humanModels.toFixed(1)} ms`);
}
