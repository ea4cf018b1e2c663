import { describe, expect, it } from 'vitest';
import { makeEmbedding } from '../../../src/domain/embedding.ts';
import { calibrationSamples, enrolledDistances, histogram, nearestOthers, ratesAt, samplesTooAlike } from '../../../src/domain/calibration.ts';
import { headIsBetter, heldOutFigures, validationFolds } from '../../../src/domain/head-validation.ts';
import { identityHead, projectEmbedding, validHead } from '../../../src/domain/personal-head.ts';
import { Gallery, type Sample } from '../../../src/domain/matching.ts';

const s = (personId: string, ...v: number[]): Sample => ({ personId, embedding: makeEmbedding('m', v) });
// Ada and Eve close together, Bob far away; squared distances are 2 − 2·cos.
const samples = [s('ada', 1, 0, 0), s('ada', 0.99, 0.14, 0), s('eve', 0.95, 0.31, 0), s('bob', 0, 0, 1)];

describe('calibration numbers', () => {
  it('splits every pair into same-person and different-person distances', () => {
    const sets = enrolledDistances(samples);
    expect(sets.same).toHaveLength(1);
    expect(sets.different).toHaveLength(5);
    expect(sets.same[0]).toBeCloseTo(2 - 2 * 0.99 / Math.hypot(0.99, 0.14), 5);
  });

  it('bins values with the overflow in the last bin', () => {
    expect(histogram([0, 0.1, 0.5, 0.99, 3], 2, 1)).toEqual([2, 3]);
  });

  it('gives the miss and false-name rates at a threshold, or null without pairs to judge', () => {
    expect(ratesAt({ same: [0.1, 0.3], different: [0.2, 0.9, 1.2, 1.5] }, 0.25)).toEqual({ missRate: 0.5, falseNameRate: 0.25 });
    expect(ratesAt({ same: [], different: [] }, 0.25)).toEqual({ missRate: null, falseNameRate: null });
  });

  it("names each person's nearest other person, closest first, with the margin to the threshold", () => {
    const near = nearestOthers(samples, 0.05);
    expect(near.map((n) => [n.personId, n.otherId])).toEqual([['ada', 'eve'], ['eve', 'ada'], ['bob', 'ada']]);
    expect(near[0]?.margin).toBeCloseTo((near[0]?.distance ?? 0) - 0.05, 9);
  });
});

describe('personal head', () => {
  it('is the identity when untrained, and renormalises what it maps', () => {
    const head = identityHead('m', 3);
    expect(Array.from(projectEmbedding(head, makeEmbedding('m', [1, 2, 2])).vector)).toEqual(Array.from(makeEmbedding('m', [1, 2, 2]).vector));
    const scale = { ...head, weights: new Float32Array([2, 0, 0, 0, 1, 0, 0, 0, 1]) };
    const out = projectEmbedding(scale, makeEmbedding('m', [1, 1, 0])).vector;
    expect(out[0]).toBeCloseTo(2 / Math.sqrt(5), 6);
    expect(Math.hypot(...out)).toBeCloseTo(1, 6);
  });

  it('refuses embeddings of another model, and a head that does not fit or holds NaN', () => {
    expect(() => projectEmbedding(identityHead('m', 3), makeEmbedding('other', [1, 0, 0]))).toThrow(/cannot take/);
    expect(validHead(identityHead('m', 3), 'm', 4)).toBe(false);
    expect(validHead({ ...identityHead('m', 2), bias: new Float32Array([0, Number.NaN]) }, 'm', 2)).toBe(false);
    expect(() => new Gallery('m', 4, [], identityHead('m', 3))).toThrow(/does not fit/);
  });

  it('is applied to gallery samples and probes alike, and survives the trip to the worker', () => {
    // A head that ignores the 3rd dimension: a probe differing only there becomes identical to Ada's sample.
    const head = { ...identityHead('m', 3), weights: new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 0]), bias: new Float32Array([0, 0, 1e-6]) };
    const plain = new Gallery('m', 3, [s('ada', 1, 1, 0)]);
    const personal = new Gallery('m', 3, [s('ada', 1, 1, 0)], head);
    const probe = makeEmbedding('m', [1, 1, 1]);
    expect(plain.nearestTwo(probe)[0]?.distance).toBeGreaterThan(0.1);
    expect(personal.nearestTwo(probe)[0]?.distance).toBeCloseTo(0, 5);
    expect(Gallery.fromParts(personal.toParts()).nearestTwo(probe)[0]?.distance).toBeCloseTo(0, 5);
  });
});

describe('judging a head on held-out photos', () => {
  const policy = { threshold: 0.1, minMargin: 0 };
  it("holds out the k-th photo of everyone with two or more, and never a person's only photo", () => {
    const set = [s('ada', 1, 0, 0), s('ada', 0.99, 0.14, 0), s('ada', 0.98, 0.2, 0), s('eve', 0.95, 0.31, 0), s('eve', 0.9, 0.43, 0), s('bob', 0, 0, 1)];
    expect(validationFolds(set)).toEqual([
      { heldOut: [0, 3], train: [1, 2, 4, 5] },
      { heldOut: [1, 4], train: [0, 2, 3, 5] },
      { heldOut: [2], train: [0, 1, 3, 4, 5] },
    ]);
    expect(validationFolds(set, 1)).toHaveLength(1);
  });

  it('probes each held-out photo against the gallery (named?) and against everyone but its person (a stranger?)', () => {
    // Gallery: Ada's first photo, Eve, Bob. Probe: Ada's second photo, within 0.1 of both Ada and Eve.
    const f = heldOutFigures(samples, [0, 2, 3], [1], policy);
    expect(f).toMatchObject({ knownProbes: 1, namedRight: 1, namedWrong: 0, rank1: 1, strangerProbes: 1, strangersNamed: 1, dir: 1, fpir: 1 });
    // A head that keeps only the first dimension makes Ada and Eve identical: the margin refuses the name.
    const head = { ...identityHead('m', 3), weights: new Float32Array([1, 0, 0, 0, 0, 0, 0, 0, 1]) };
    const seen = heldOutFigures(samples, [0, 2, 3], [1], { threshold: 0.1, minMargin: 0.05 }, head);
    expect(seen.namedRight).toBe(0);
  });

  it('keeps a head only when it is no worse anywhere and better somewhere', () => {
    const base = heldOutFigures(samples, [0, 2, 3], [1], policy);
    expect(headIsBetter(base, base)).toBe(false);
    expect(headIsBetter(base, { ...base, strangersNamed: 0 })).toBe(true);
    expect(headIsBetter(base, { ...base, strangersNamed: 0, namedRight: 0 })).toBe(false);
  });
});

describe('calibration on a large gallery', () => {
  it('compares whole people up to the cap, the same ones every time', () => {
    const many = Array.from({ length: 300 }, (_, p) => Array.from({ length: 3 }, () => s(`p${p}`, 1, p, 0))).flat();
    const picked = calibrationSamples(many, 100);
    expect(picked.length).toBeLessThanOrEqual(100);
    expect(picked.length).toBeGreaterThan(90);
    const counts = new Map<string, number>();
    for (const x of picked) counts.set(x.personId, (counts.get(x.personId) ?? 0) + 1);
    expect([...counts.values()].every((n) => n === 3)).toBe(true);
    expect(calibrationSamples(many, 100).map((x) => x.personId)).toEqual(picked.map((x) => x.personId));
    expect(calibrationSamples(samples, 100)).toBe(samples);
  });
});

describe('samples too alike to estimate misses', () => {
  it('says so for near-copies of one picture, not for photos of a person that differ', () => {
    expect(samplesTooAlike({ same: [0.001, 0.002, 0.004], different: [0.4] }, 0.11)).toBe(true);
    expect(samplesTooAlike({ same: [0.002, 0.06], different: [0.4] }, 0.11)).toBe(false);
    expect(samplesTooAlike({ same: [], different: [0.4] }, 0.11)).toBe(false);
  });
});
