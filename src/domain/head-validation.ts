// How well the enrolled samples name each other, on photos held out of training: each held-out photo is a
// probe against the rest (it should be named as its own person) and against everyone but its own person
// (it should be "Not in database"). This judges a personal head on the user's own people, before and after.
import { decideIdentity, MAX_SQUARED_DISTANCE, type MatchPolicy, type PersonDistance, type Sample } from './matching.ts';
import { projectEmbedding, type PersonalHead } from './personal-head.ts';

export interface OpenSetFigures {
  /** Samples whose person has another sample (they can be named at all). */
  knownProbes: number;
  namedRight: number;
  namedWrong: number;
  /** Known probes whose nearest person is their own, whatever the threshold. */
  rank1: number;
  /** Every sample, with its own person taken out of the gallery. */
  strangerProbes: number;
  strangersNamed: number;
  /** namedRight / knownProbes. */
  dir: number;
  /** strangersNamed / strangerProbes. */
  fpir: number;
}

export interface HeadReport {
  samples: number;
  people: number;
  /** Cross-validation folds the figures are summed over. */
  folds: number;
  before: OpenSetFigures;
  after: OpenSetFigures;
  kept: boolean;
}

/** Each person's nearest-sample distance to the probe, nearest first, over the gallery rows given. */
function ranked(vectors: readonly Float32Array[], owners: readonly string[], probe: Float32Array, rows: readonly number[], skipPerson: string | null): PersonDistance[] {
  const best = new Map<string, number>();
  for (const j of rows) {
    const owner = owners[j] as string;
    if (owner === skipPerson) continue;
    const w = vectors[j] as Float32Array;
    let dot = 0;
    for (let k = 0; k < probe.length; k++) dot += (probe[k] as number) * (w[k] as number);
    const distance = Math.max(0, 2 - 2 * dot);
    if (distance < (best.get(owner) ?? MAX_SQUARED_DISTANCE + 1)) best.set(owner, distance);
  }
  return [...best].map(([personId, distance]) => ({ personId, distance })).sort((a, b) => a.distance - b.distance);
}

export const NO_FIGURES: OpenSetFigures = { knownProbes: 0, namedRight: 0, namedWrong: 0, rank1: 0, strangerProbes: 0, strangersNamed: 0, dir: 0, fpir: 0 };

/**
 * Held-out figures: each probe sample against a gallery of the `gallery` samples (should be named as its
 * person when they are enrolled there), and against that gallery without its person (a stranger, should
 * not be named). Vectors are seen through the head when one is given.
 */
export function heldOutFigures(samples: readonly Sample[], gallery: readonly number[], probes: readonly number[], policy: MatchPolicy, head?: PersonalHead): OpenSetFigures {
  const vectors = samples.map((s) => (head ? projectEmbedding(head, s.embedding) : s.embedding).vector);
  const owners = samples.map((s) => s.personId);
  const enrolled = new Set(gallery.map((j) => owners[j] as string));
  const f: OpenSetFigures = { ...NO_FIGURES };
  for (const i of probes) {
    const owner = owners[i] as string;
    const probe = vectors[i] as Float32Array;
    if (enrolled.has(owner)) {
      f.knownProbes += 1;
      const rank = ranked(vectors, owners, probe, gallery, null);
      if (rank[0]?.personId === owner) f.rank1 += 1;
      const d = decideIdentity(rank, policy);
      if (d.kind === 'known') {
        if (d.personId === owner) f.namedRight += 1;
        else f.namedWrong += 1;
      }
    }
    const others = ranked(vectors, owners, probe, gallery, owner);
    if (others.length > 0) {
      f.strangerProbes += 1;
      if (decideIdentity(others, policy).kind === 'known') f.strangersNamed += 1;
    }
  }
  return withRates(f);
}

function withRates(f: OpenSetFigures): OpenSetFigures {
  return { ...f, dir: f.knownProbes ? f.namedRight / f.knownProbes : 0, fpir: f.strangerProbes ? f.strangersNamed / f.strangerProbes : 0 };
}

export function addFigures(a: OpenSetFigures, b: OpenSetFigures): OpenSetFigures {
  return withRates({
    knownProbes: a.knownProbes + b.knownProbes, namedRight: a.namedRight + b.namedRight, namedWrong: a.namedWrong + b.namedWrong,
    rank1: a.rank1 + b.rank1, strangerProbes: a.strangerProbes + b.strangerProbes, strangersNamed: a.strangersNamed + b.strangersNamed, dir: 0, fpir: 0,
  });
}

export interface ValidationFold {
  /** Indices of the samples a head is trained on (and enrolled in the gallery). */
  train: number[];
  /** Indices of the samples held out as probes. */
  heldOut: number[];
}

/**
 * Cross-validation folds over the samples: fold k holds out the k-th sample of every person who has at
 * least two (so each held-out photo still has its person enrolled), at most `maxFolds` folds. A head is
 * judged only on photos it was not trained on.
 */
export function validationFolds(samples: readonly Sample[], maxFolds = 5): ValidationFold[] {
  const byPerson = new Map<string, number[]>();
  samples.forEach((s, i) => byPerson.set(s.personId, [...(byPerson.get(s.personId) ?? []), i]));
  const most = Math.max(0, ...[...byPerson.values()].map((g) => g.length));
  const folds: ValidationFold[] = [];
  for (let k = 0; k < Math.min(maxFolds, most); k++) {
    const heldOut = [...byPerson.values()].filter((g) => g.length >= 2 && k < g.length).map((g) => g[k] as number);
    if (heldOut.length === 0) continue;
    const out = new Set(heldOut);
    folds.push({ heldOut, train: samples.map((_, i) => i).filter((i) => !out.has(i)) });
  }
  return folds;
}

/**
 * A head is kept only when it is better on the user's own held-out photos at the threshold in use: no
 * fewer named right, no more strangers named, no more wrong names, and a net gain of at least one photo
 * in a hundred (at least one), so a difference of a photo or two on a large set, which is noise, is not
 * taken for progress.
 */
export function headIsBetter(before: OpenSetFigures, after: OpenSetFigures): boolean {
  const noWorse = after.namedRight >= before.namedRight && after.strangersNamed <= before.strangersNamed && after.namedWrong <= before.namedWrong;
  const gain = after.namedRight - before.namedRight + (before.strangersNamed - after.strangersNamed) + (before.namedWrong - after.namedWrong);
  return noWorse && gain >= Math.max(1, Math.ceil(0.01 * (before.knownProbes + before.strangerProbes)));
}

/** Why these samples cannot be personalised, or null when they can. */
export function cannotPersonalise(samples: readonly Sample[]): string | null {
  const count = new Map<string, number>();
  for (const s of samples) count.set(s.personId, (count.get(s.personId) ?? 0) + 1);
  if (count.size < 2 || ![...count.values()].some((n) => n >= 3)) {
    return 'Personalisation needs at least two people enrolled, one of them with three or more samples (photos are held out to judge the result).';
  }
  return null;
}

export interface PersonalisationProgress {
  /** Training steps done and to do, over every fold and the final head. */
  done: number;
  total: number;
  phase: 'validating' | 'final' | 'finished';
}

export interface PersonalisationResult {
  head: PersonalHead;
  /** How the head was judged on held-out samples (domain/head-validation.ts). */
  report: HeadReport;
}
