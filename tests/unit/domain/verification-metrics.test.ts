import { describe, expect, it } from 'vitest';
import { bestThreshold, kFoldAccuracy, rocAuc, tarAtFar, type ScoredPair } from '../../../src/domain/verification-metrics.ts';

const pair = (distance: number, same: boolean, fold = 0): ScoredPair => ({ distance, same, fold });

describe('verification metrics', () => {
  it('puts the best threshold between the classes when they separate', () => {
    const pairs = [pair(0.1, true), pair(0.3, true), pair(0.9, false), pair(1.2, false)];
    expect(bestThreshold(pairs)).toBeCloseTo(0.6, 9);
    expect(rocAuc(pairs)).toBe(1);
  });

  it('scores a missed face (infinite distance) as a wrong "different" on a same pair', () => {
    const folds = [0, 1].flatMap((f) => [pair(0.1, true, f), pair(Infinity, true, f), pair(1, false, f), pair(1.1, false, f)]);
    expect(kFoldAccuracy(folds).mean).toBeCloseTo(0.75, 9);
  });

  it('fits each fold on the others', () => {
    // Fold 1 has a different ideal threshold; fitted on fold 0 it errs once.
    const pairs = [pair(0.1, true, 0), pair(0.5, false, 0), pair(0.6, true, 1), pair(0.9, false, 1)];
    const r = kFoldAccuracy(pairs);
    expect(r.thresholds).toHaveLength(2);
    expect(r.mean).toBeCloseTo(0.5, 9);
  });

  it('computes AUC with ties counted half', () => {
    expect(rocAuc([pair(0.5, true), pair(0.5, false)])).toBe(0.5);
    expect(rocAuc([pair(0.2, true), pair(0.8, true), pair(0.5, false)])).toBe(0.5);
  });

  it('reads TAR at a FAR', () => {
    const diff = Array.from({ length: 100 }, (_, i) => pair(1 + i / 100, false));
    const same = [pair(0.5, true), pair(1.005, true), pair(1.5, true), pair(3, true)];
    // FAR 1 %: one different pair (distance 1.0) may pass, so accept below 1.01.
    expect(tarAtFar([...diff, ...same], 0.01).tar).toBe(0.5);
    expect(tarAtFar([...diff, ...same], 0).tar).toBe(0.25);
  });
});
