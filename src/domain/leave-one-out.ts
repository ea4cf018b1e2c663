// How well the enrolled samples name each other: every sample in turn is a probe against all the others
// (it should be named as its own person) and against everyone but its own person (it should be "Not in
// database"). This judges a personal head on the user's own people, before and after training.
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
  before: OpenSetFigures;
  after: OpenSetFigures;
  kept: boolean;
}

/** Each person's nearest-sample distance to the probe, nearest first, leaving out `skipSample` and `skipPerson`. */
function ranked(vectors: readonly Float32Array[], owners: readonly string[], probe: number, skipPerson: string | null): PersonDistance[] {
  const best = new Map<string, number>();
  const v = vectors[probe] as Float32Array;
  vectors.forEach((w, j) => {
    const owner = owners[j] as string;
    if (j === probe || owner === skipPerson) return;
    let dot = 0;
    for (let k = 0; k < v.length; k++) dot += (v[k] as number) * (w[k] as number);
    const distance = Math.max(0, 2 - 2 * dot);
    if (distance < (best.get(owner) ?? MAX_SQUARED_DISTANCE + 1)) best.set(owner, distance);
  });
  return [...best].map(([personId, distance]) => ({ personId, distance })).sort((a, b) => a.distance - b.distance);
}

export function leaveOneOut(samples: readonly Sample[], policy: MatchPolicy, head?: PersonalHead): OpenSetFigures {
  const vectors = samples.map((s) => (head ? projectEmbedding(head, s.embedding) : s.embedding).vector);
  const owners = samples.map((s) => s.personId);
  const count = new Map<string, number>();
  for (const o of owners) count.set(o, (count.get(o) ?? 0) + 1);
  const f: OpenSetFigures = { knownProbes: 0, namedRight: 0, namedWrong: 0, rank1: 0, strangerProbes: 0, strangersNamed: 0, dir: 0, fpir: 0 };
  owners.forEach((owner, i) => {
    if ((count.get(owner) ?? 0) > 1) {
      f.knownProbes += 1;
      const rank = ranked(vectors, owners, i, null);
      if (rank[0]?.personId === owner) f.rank1 += 1;
      const d = decideIdentity(rank, policy);
      if (d.kind === 'known') {
        if (d.personId === owner) f.namedRight += 1;
        else f.namedWrong += 1;
      }
    }
    if (count.size > 1) {
      f.strangerProbes += 1;
      if (decideIdentity(ranked(vectors, owners, i, owner), policy).kind === 'known') f.strangersNamed += 1;
    }
  });
  f.dir = f.knownProbes ? f.namedRight / f.knownProbes : 0;
  f.fpir = f.strangerProbes ? f.strangersNamed / f.strangerProbes : 0;
  return f;
}

/**
 * A head is kept only when it is better on the user's own people at the threshold in use: no fewer named
 * right, no more strangers named, no more wrong names, and at least one of them strictly better.
 */
export function headIsBetter(before: OpenSetFigures, after: OpenSetFigures): boolean {
  const noWorse = after.namedRight >= before.namedRight && after.strangersNamed <= before.strangersNamed && after.namedWrong <= before.namedWrong;
  const better = after.namedRight > before.namedRight || after.strangersNamed < before.strangersNamed || after.namedWrong < before.namedWrong;
  return noWorse && better;
}
