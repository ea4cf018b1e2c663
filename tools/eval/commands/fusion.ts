// `eval fusion`: is score fusion of two embedders worth offering? Each model's squared distance is divided
// by its shipped threshold and the two are mixed with a weight w. On LFW, w and the threshold are fitted
// on the 9 training folds of each test fold; on 1:N, w and the policy are fitted on half A (with the same
// bootstrap margin as `calibrate`) and measured on the held-out half B.
import { squaredDistance, type Embedding } from '../../../src/domain/embedding.ts';
import { accuracyAt, bestThreshold, kFoldAccuracy, type ScoredPair } from '../../../src/domain/verification-metrics.ts';
import { calibrateRobustPolicy, identificationRates, type IdentificationRates, type RankedProbe } from '../../../src/domain/identification-metrics.ts';
import type { MatchPolicy } from '../../../src/domain/matching.ts';
import type { EmbedderId } from '../../../src/domain/embedder-specs.ts';
import { probeVector, type FaceLookup, type FaceStore } from '../face-store.ts';
import { DEFAULT_SPLITS, identificationSplits, type IdentificationSplit } from '../identification-splits.ts';
import { listPeople } from '../person-folders.ts';
import { readLfwPairs } from '../pairs-file.ts';

export interface FusedModel {
  id: EmbedderId;
  flip: boolean;
  /** The shipped 1:N threshold: each model's distances are read in units of it. */
  threshold: number;
}

export interface FusionReport {
  models: [EmbedderId, EmbedderId];
  /** Weights tried for the first model (the second gets 1 − w). */
  weights: number[];
  lfw: { accuracy: number; std: number; chosenWeights: number[]; alone: [number, number] };
  halfB: { weight: number; policy: MatchPolicy; rates: IdentificationRates; alone: [IdentificationRates, IdentificationRates] };
}

const WEIGHTS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

function vectors(faces: Map<string, FaceLookup>, m: FusedModel): (path: string) => Embedding | undefined {
  return (path) => {
    const f = faces.get(path);
    return f?.kind === 'face' ? probeVector(f, m.flip, m.id) : undefined;
  };
}

type PairDistances = { d: [number, number]; same: boolean; fold: number }[];

/** The pairs scored by the fused distance at weight w. */
function fusedPairs(pairDistances: PairDistances, ms: [FusedModel, FusedModel], w: number): ScoredPair[] {
  return pairDistances.map((p) => ({ distance: (w * p.d[0]) / ms[0].threshold + ((1 - w) * p.d[1]) / ms[1].threshold, same: p.same, fold: p.fold }));
}

/** 10-fold LFW accuracy of the fused score, w chosen on each test fold's 9 training folds. */
function lfwFusion(pairDistances: PairDistances, ms: [FusedModel, FusedModel]) {
  const scored = (w: number) => fusedPairs(pairDistances, ms, w);
  const folds = [...new Set(pairDistances.map((p) => p.fold))];
  const accuracies: number[] = [];
  const chosen: number[] = [];
  for (const f of folds) {
    let best = { w: 0, acc: -1, t: 0 };
    for (const w of WEIGHTS) {
      const train = scored(w).filter((p) => p.fold !== f);
      const t = bestThreshold(train);
      const acc = accuracyAt(train, t);
      if (acc > best.acc) best = { w, acc, t };
    }
    chosen.push(best.w);
    accuracies.push(accuracyAt(scored(best.w).filter((p) => p.fold === f), best.t));
  }
  const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
  const std = Math.sqrt(accuracies.reduce((a, b) => a + (b - mean) ** 2, 0) / accuracies.length);
  return { accuracy: mean, std, chosenWeights: chosen };
}

/** Every probe of every split, with its distance (per model) to each enrolled person. */
function distancesOf(splits: readonly IdentificationSplit[], vec: [(p: string) => Embedding | undefined, (p: string) => Embedding | undefined]) {
  return splits.map((s) => {
    const enrolled = s.gallery.flatMap((g) => {
      const a = vec[0](g.path);
      const b = vec[1](g.path);
      return a && b ? [{ person: g.person, a, b }] : [];
    });
    const people = new Set(enrolled.map((e) => e.person));
    return s.probes.flatMap((p) => {
      const a = vec[0](p.path);
      const b = vec[1](p.path);
      if (!a || !b) return [];
      return [{ truth: people.has(p.person) ? p.person : null, to: enrolled.map((e) => ({ person: e.person, d: [squaredDistance(a, e.a), squaredDistance(b, e.b)] as [number, number] })) }];
    });
  });
}

type ProbeDistances = ReturnType<typeof distancesOf>[number][number];

function rankedWith(probes: readonly ProbeDistances[], score: (d: [number, number]) => number): RankedProbe[] {
  return probes.map((p) => {
    const best = new Map<string, number>();
    for (const t of p.to) best.set(t.person, Math.min(best.get(t.person) ?? Infinity, score(t.d)));
    const ranked = [...best].map(([personId, distance]) => ({ personId, distance })).sort((x, y) => x.distance - y.distance).slice(0, 2);
    return { truth: p.truth, ranked };
  });
}

export async function runFusion(store: FaceStore, opts: { imagesDir: string; pairsFile: string; models: [FusedModel, FusedModel]; targetFpir: number }): Promise<FusionReport> {
  const ms = opts.models;
  const people = listPeople(opts.imagesDir);
  const all = [...people.values()].flat();
  const faces = [await store.embedAll(all, ms[0].id, 0), await store.embedAll(all, ms[1].id, 0)];
  const vec: [(p: string) => Embedding | undefined, (p: string) => Embedding | undefined] = [vectors(faces[0] as Map<string, FaceLookup>, ms[0]), vectors(faces[1] as Map<string, FaceLookup>, ms[1])];

  const pairs = readLfwPairs(opts.pairsFile, opts.imagesDir).flatMap((p) => {
    const [a0, b0, a1, b1] = [vec[0](p.a), vec[0](p.b), vec[1](p.a), vec[1](p.b)];
    if (!a0 || !b0 || !a1 || !b1) return [];
    return [{ d: [squaredDistance(a0, b0), squaredDistance(a1, b1)] as [number, number], same: p.same, fold: p.fold }];
  });
  const lfw = lfwFusion(pairs, ms);
  // w = 1 or 0: one model alone, on the same pairs.
  const aloneLfw = [1, 0].map((w) => kFoldAccuracy(fusedPairs(pairs, ms, w)).mean) as [number, number];

  const halfA = distancesOf(identificationSplits(people, { ...DEFAULT_SPLITS, half: 'A' }), vec);
  const halfB = distancesOf(identificationSplits(people, { ...DEFAULT_SPLITS, half: 'B' }), vec);
  const fused = (w: number) => (d: [number, number]) => (w * d[0]) / ms[0].threshold + ((1 - w) * d[1]) / ms[1].threshold;
  let best: { w: number; policy: MatchPolicy; dir: number } | null = null;
  for (const w of WEIGHTS) {
    const fit = calibrateRobustPolicy(halfA.map((s) => rankedWith(s, fused(w))), opts.targetFpir);
    if (!best || fit.rates.dir > best.dir) best = { w, policy: fit.policy, dir: fit.rates.dir };
  }
  if (!best) throw new Error('no weights');
  const rateOn = (w: number, policy: MatchPolicy) => identificationRates(halfB.flatMap((s) => rankedWith(s, fused(w))), policy);
  const aloneB = [1, 0].map((w) => rateOn(w, calibrateRobustPolicy(halfA.map((s) => rankedWith(s, fused(w))), opts.targetFpir).policy)) as [IdentificationRates, IdentificationRates];
  return {
    models: [ms[0].id, ms[1].id],
    weights: WEIGHTS,
    lfw: { ...lfw, alone: aloneLfw },
    halfB: { weight: best.w, policy: best.policy, rates: rateOn(best.w, best.policy), alone: aloneB },
  };
}

const pct = (v: number) => `${(v * 100).toFixed(2)} %`;

export function printFusion(r: FusionReport): void {
  console.log(`fusion ${r.models.join(' + ')} (weight of ${r.models[0]}; distances in units of each model's threshold)`);
  console.log(`  LFW: fused ${pct(r.lfw.accuracy)} ± ${pct(r.lfw.std)} (weights chosen per fold: ${r.lfw.chosenWeights.join(', ')}); alone ${pct(r.lfw.alone[0])} / ${pct(r.lfw.alone[1])}`);
  const b = r.halfB;
  console.log(`  half B at the half-A policy: fused (w ${b.weight}) DIR ${pct(b.rates.dir)}, FPIR ${pct(b.rates.fpir)}; alone: ${r.models[0]} DIR ${pct(b.alone[0].dir)} FPIR ${pct(b.alone[0].fpir)}, ${r.models[1]} DIR ${pct(b.alone[1].dir)} FPIR ${pct(b.alone[1].fpir)}`);
}
