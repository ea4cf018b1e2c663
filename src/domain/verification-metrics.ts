// 1:1 verification statistics over scored pairs (lower distance = more alike): 10-fold accuracy with
// the threshold fitted on the other folds, ROC AUC, and TAR at a fixed FAR.

export interface ScoredPair {
  /** Squared distance; +Infinity when a face was missed (then the pair is called "different"). */
  distance: number;
  same: boolean;
  fold: number;
}

/** Share of pairs this threshold calls right. */
export function accuracyAt(pairs: readonly ScoredPair[], threshold: number): number {
  let right = 0;
  for (const p of pairs) if ((p.distance <= threshold) === p.same) right++;
  return pairs.length ? right / pairs.length : 0;
}

/** The threshold with the best accuracy on these pairs (midpoints between consecutive distances). */
export function bestThreshold(pairs: readonly ScoredPair[]): number {
  const finite = [...new Set(pairs.map((p) => p.distance).filter(Number.isFinite))].sort((a, b) => a - b);
  const sorted = [...pairs].sort((a, b) => a.distance - b.distance);
  // Sweep: at a threshold, every pair at or below it is called "same".
  const totalDiff = pairs.filter((p) => !p.same).length;
  let bestAcc = -1;
  let best = 0;
  let sameBelow = 0;
  let diffBelow = 0;
  let i = 0;
  for (let k = 0; k < finite.length; k++) {
    const t = finite[k] as number;
    while (i < sorted.length && (sorted[i] as ScoredPair).distance <= t) {
      if ((sorted[i] as ScoredPair).same) sameBelow++;
      else diffBelow++;
      i++;
    }
    const acc = sameBelow + (totalDiff - diffBelow);
    if (acc > bestAcc) {
      bestAcc = acc;
      const next = finite[k + 1];
      best = next === undefined ? t : (t + next) / 2;
    }
  }
  return best;
}

export interface FoldAccuracy {
  mean: number;
  std: number;
  thresholds: number[];
}

export function kFoldAccuracy(pairs: readonly ScoredPair[]): FoldAccuracy {
  const folds = [...new Set(pairs.map((p) => p.fold))].sort((a, b) => a - b);
  const accs: number[] = [];
  const thresholds: number[] = [];
  for (const f of folds) {
    const t = bestThreshold(pairs.filter((p) => p.fold !== f));
    thresholds.push(t);
    accs.push(accuracyAt(pairs.filter((p) => p.fold === f), t));
  }
  const mean = accs.reduce((s, a) => s + a, 0) / accs.length;
  const std = Math.sqrt(accs.reduce((s, a) => s + (a - mean) ** 2, 0) / accs.length);
  return { mean, std, thresholds };
}

/** ROC AUC: the chance a random same pair is closer than a random different pair (ties count half). */
export function rocAuc(pairs: readonly ScoredPair[]): number {
  const same = pairs.filter((p) => p.same).map((p) => p.distance).sort((a, b) => a - b);
  const diff = pairs.filter((p) => !p.same).map((p) => p.distance).sort((a, b) => a - b);
  if (!same.length || !diff.length) return Number.NaN;
  let wins = 0;
  let j = 0;
  let k = 0;
  for (const s of same) {
    while (j < diff.length && (diff[j] as number) <= s) j++; // diffs ≤ s
    while (k < diff.length && (diff[k] as number) < s) k++; // diffs < s
    wins += diff.length - j + (j - k) / 2;
  }
  return wins / (same.length * diff.length);
}

/** True accept rate at the largest threshold whose false accept rate is at most `far`. */
export function tarAtFar(pairs: readonly ScoredPair[], far: number): { tar: number; threshold: number } {
  const diff = pairs.filter((p) => !p.same).map((p) => p.distance).sort((a, b) => a - b);
  const same = pairs.filter((p) => p.same);
  const allowed = Math.floor(far * diff.length);
  // Accept distances strictly below the (allowed+1)-th smallest different-pair distance.
  const limit = diff[allowed] ?? Number.POSITIVE_INFINITY;
  const tar = same.filter((p) => p.distance < limit).length / Math.max(1, same.length);
  return { tar, threshold: limit };
}
