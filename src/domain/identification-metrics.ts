// Open-set (1:N) identification statistics and the calibration of a MatchPolicy for a target FPIR.
// DIR: known probes named correctly; FPIR: unknown probes named as anyone.
import { decideIdentity, type MatchPolicy, type PersonDistance } from './matching.ts';

export interface RankedProbe {
  /** The probe's person when they are enrolled; null for a stranger. */
  truth: string | null;
  /** Enrolled people nearest first (the top two are all the decision uses). */
  ranked: PersonDistance[];
}

export interface IdentificationRates {
  dir: number;
  wrongName: number;
  fpir: number;
  known: number;
  unknown: number;
}

export function identificationRates(probes: readonly RankedProbe[], policy: MatchPolicy): IdentificationRates {
  let right = 0;
  let wrong = 0;
  let falsePositive = 0;
  let known = 0;
  let unknown = 0;
  for (const p of probes) {
    const d = decideIdentity(p.ranked, policy);
    if (p.truth === null) {
      unknown++;
      if (d.kind === 'known') falsePositive++;
    } else {
      known++;
      if (d.kind === 'known') {
        if (d.personId === p.truth) right++;
        else wrong++;
      }
    }
  }
  return { dir: right / Math.max(1, known), wrongName: wrong / Math.max(1, known), fpir: falsePositive / Math.max(1, unknown), known, unknown };
}

const marginOf = (r: readonly PersonDistance[]) => (r[1]?.distance ?? 4) - (r[0]?.distance ?? 4);

/** For a fixed margin: the largest threshold whose FPIR stays at or under `targetFpir`. */
export function thresholdForFpir(probes: readonly RankedProbe[], minMargin: number, targetFpir: number): number {
  const strangers = probes.filter((p) => p.truth === null);
  // Strangers that the margin rule would let through, by how close they came.
  const passing = strangers
    .filter((p) => p.ranked.length > 0 && marginOf(p.ranked) >= minMargin)
    .map((p) => p.ranked[0]?.distance ?? 4)
    .sort((a, b) => a - b);
  const allowed = Math.floor(targetFpir * strangers.length);
  if (passing.length <= allowed) return 4; // the margin alone keeps FPIR under target
  const firstRefused = passing[allowed] as number;
  const lastAccepted = allowed > 0 ? (passing[allowed - 1] as number) : 0;
  // Halfway between the last stranger we may accept and the first we must refuse.
  return (lastAccepted + firstRefused) / 2;
}

export interface CalibratedPolicy {
  policy: MatchPolicy;
  rates: IdentificationRates;
}

export const MARGIN_GRID = [0, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3];

/** The (threshold, margin) with the best DIR at FPIR ≤ target, searched over a grid of margins. */
export function calibratePolicy(probes: readonly RankedProbe[], targetFpir: number, margins: readonly number[] = MARGIN_GRID): CalibratedPolicy {
  let best: CalibratedPolicy | undefined;
  for (const minMargin of margins) {
    const policy = { threshold: thresholdForFpir(probes, minMargin, targetFpir), minMargin };
    const rates = identificationRates(probes, policy);
    if (!best || rates.dir > best.rates.dir) best = { policy, rates };
  }
  if (!best) throw new RangeError('No margins to search');
  return best;
}

/** A seeded generator (mulberry32): the same bootstrap, so the same policy, on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RobustFit {
  /** Bootstrap resamples of the splits. */
  resamples: number;
  /** Share of resamples whose own FPIR-target threshold is at or above the one chosen. */
  confidence: number;
}

/**
 * Like calibratePolicy, but with the margin out-of-sample use needs. A threshold fitted exactly at the
 * target FPIR on one set of galleries lands above it on the next (dlib: 1 % on half A, 1.4 % on half B):
 * how many strangers come close varies from gallery to gallery. So each split (one gallery and its
 * strangers) is resampled with replacement, the FPIR-target threshold is found on every resample, and the
 * threshold kept is the one that `confidence` of the resamples would accept (a low quantile: stricter).
 */
export function calibrateRobustPolicy(
  splits: readonly (readonly RankedProbe[])[],
  targetFpir: number,
  fit: RobustFit = { resamples: 200, confidence: 0.9 },
  margins: readonly number[] = MARGIN_GRID,
): CalibratedPolicy {
  const all = splits.flat();
  let best: CalibratedPolicy | undefined;
  for (const minMargin of margins) {
    const random = seeded(20261202);
    const thresholds: number[] = [];
    for (let r = 0; r < fit.resamples; r++) {
      const resample = Array.from({ length: splits.length }, () => splits[Math.floor(random() * splits.length)] ?? []).flat();
      thresholds.push(thresholdForFpir(resample, minMargin, targetFpir));
    }
    thresholds.sort((a, b) => a - b);
    const threshold = thresholds[Math.floor((1 - fit.confidence) * (thresholds.length - 1))] ?? 0;
    const policy = { threshold, minMargin };
    const rates = identificationRates(all, policy);
    if (!best || rates.dir > best.rates.dir) best = { policy, rates };
  }
  if (!best) throw new RangeError('No margins to search');
  return best;
}
