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
