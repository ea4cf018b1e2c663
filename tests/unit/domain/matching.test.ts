import { describe, expect, it } from 'vitest';
import { averageEmbeddings, makeEmbedding, squaredDistance } from '../../../src/domain/embedding.ts';
import { Gallery, decideIdentity, type MatchPolicy } from '../../../src/domain/matching.ts';
import { calibratePolicy, calibrateRobustPolicy, identificationRates, thresholdForFpir, type RankedProbe } from '../../../src/domain/identification-metrics.ts';
import { subjectFaceIndex } from '../../../src/domain/subject-face.ts';
import { pixelBox } from '../../../src/domain/geometry.ts';

const e = (...v: number[]) => makeEmbedding('m', v);

describe('embeddings', () => {
  it('are unit length and use the squared L2 distance of the original app', () => {
    const a = e(3, 4);
    expect(Array.from(a.vector)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(squaredDistance(e(1, 0), e(0, 1))).toBeCloseTo(2, 6);
    expect(squaredDistance(e(1, 0), e(-1, 0))).toBeCloseTo(4, 6);
  });

  it('refuses to compare embeddings of different models or lengths', () => {
    expect(() => squaredDistance(e(1, 0), makeEmbedding('other', [1, 0]))).toThrow(/cannot be compared/);
    expect(() => squaredDistance(e(1, 0), e(1, 0, 0))).toThrow(/lengths differ/);
    expect(() => e(0, 0)).toThrow(RangeError);
  });

  it('averages a face with its mirror image into a unit vector', () => {
    const avg = averageEmbeddings([e(1, 0), e(0, 1)]);
    expect(avg.vector[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(avg.vector[1]).toBeCloseTo(Math.SQRT1_2, 6);
  });
});

describe('gallery and decision', () => {
  const gallery = new Gallery('m', 2, [
    { personId: 'ada', embedding: e(1, 0) },
    { personId: 'ada', embedding: e(0.9, 0.1) },
    { personId: 'eve', embedding: e(0, 1) },
  ]);

  it('ranks people by their nearest sample', () => {
    const ranked = gallery.rankPeople(e(0.95, 0.05));
    expect(ranked.map((r) => r.personId)).toEqual(['ada', 'eve']);
    const nearestAda = Math.min(squaredDistance(e(0.95, 0.05), e(1, 0)), squaredDistance(e(0.95, 0.05), e(0.9, 0.1)));
    expect(ranked[0]?.distance).toBeCloseTo(nearestAda, 5);
    expect(ranked[1]?.distance).toBeCloseTo(squaredDistance(e(0.95, 0.05), e(0, 1)), 5);
  });

  it('names a close probe with its margin to the second person', () => {
    const d = decideIdentity(gallery.rankPeople(e(1, 0.02)), { threshold: 0.5, minMargin: 0.1 });
    expect(d.kind).toBe('known');
    if (d.kind === 'known') {
      expect(d.personId).toBe('ada');
      expect(d.margin).toBeGreaterThan(1.5);
    }
  });

  it('says unknown when the nearest person is too far', () => {
    const d = decideIdentity(gallery.rankPeople(e(-1, -1)), { threshold: 0.5, minMargin: 0 });
    expect(d).toEqual({ kind: 'unknown', nearestDistance: expect.any(Number) as number });
  });

  it('says unknown for a probe halfway between two people, even under the threshold', () => {
    const ranked = gallery.rankPeople(e(1, 1)); // ada 0.44, eve 0.59: a margin of 0.15
    expect(decideIdentity(ranked, { threshold: 1.2, minMargin: 0 }).kind).toBe('known');
    expect(decideIdentity(ranked, { threshold: 1.2, minMargin: 0.2 }).kind).toBe('unknown');
  });

  it('says unknown with an empty gallery', () => {
    expect(decideIdentity([], { threshold: 1, minMargin: 0 }).kind).toBe('unknown');
  });

  it('refuses samples or probes of another model', () => {
    expect(() => new Gallery('m', 2, [{ personId: 'x', embedding: makeEmbedding('n', [1, 0]) }])).toThrow(TypeError);
    expect(() => gallery.rankPeople(makeEmbedding('n', [1, 0]))).toThrow(TypeError);
  });
});

describe('open-set calibration', () => {
  // Known probes close to their person, strangers spread out; one stranger sits between two people.
  const probes: RankedProbe[] = [
    { truth: 'a', ranked: [{ personId: 'a', distance: 0.2 }, { personId: 'b', distance: 1.5 }] },
    { truth: 'b', ranked: [{ personId: 'b', distance: 0.4 }, { personId: 'a', distance: 1.2 }] },
    { truth: 'a', ranked: [{ personId: 'b', distance: 0.5 }, { personId: 'a', distance: 0.55 }] },
    { truth: null, ranked: [{ personId: 'a', distance: 0.45 }, { personId: 'b', distance: 0.5 }] },
    { truth: null, ranked: [{ personId: 'b', distance: 0.9 }, { personId: 'a', distance: 1.6 }] },
    { truth: null, ranked: [{ personId: 'a', distance: 1.3 }, { personId: 'b', distance: 1.9 }] },
  ];

  it('counts DIR, wrong names and FPIR', () => {
    const r = identificationRates(probes, { threshold: 0.6, minMargin: 0 });
    expect(r).toEqual({ dir: 2 / 3, wrongName: 1 / 3, fpir: 1 / 3, known: 3, unknown: 3 });
  });

  it('picks the largest threshold that keeps FPIR at the target', () => {
    expect(thresholdForFpir(probes, 0, 0)).toBeCloseTo(0.225, 9); // below the closest stranger (0.45)
    const t = thresholdForFpir(probes, 0, 0.34); // one stranger of three may pass
    expect(t).toBeCloseTo((0.45 + 0.9) / 2, 9);
  });

  it('finds that a margin names more people at zero false names than a threshold alone', () => {
    const thresholdOnly = calibratePolicy(probes, 0, [0]);
    const withMargin = calibratePolicy(probes, 0);
    expect(thresholdOnly.rates.fpir).toBe(0);
    expect(withMargin.rates.fpir).toBe(0);
    expect(withMargin.rates.dir).toBeGreaterThan(thresholdOnly.rates.dir);
    expect(withMargin.policy.minMargin).toBeGreaterThan(0);
  });
});

describe('subject face', () => {
  it('prefers the face nearest the image centre for its size', () => {
    const centre = pixelBox(40, 40, 20, 20);
    const big = pixelBox(0, 0, 30, 30);
    expect(subjectFaceIndex([big, centre], 100, 100)).toBe(1);
    expect(subjectFaceIndex([pixelBox(0, 0, 10, 10), big], 100, 100)).toBe(1);
    expect(subjectFaceIndex([], 100, 100)).toBe(-1);
  });

  it('picks the centred face over a larger phantom reaching the centre from a corner (LFW Kate_Winslet_0002)', () => {
    const face = pixelBox(74, 72, 111, 111);
    const phantom = pixelBox(0, 1, 125, 151);
    expect(subjectFaceIndex([face, phantom], 250, 250)).toBe(0);
    expect(subjectFaceIndex([phantom, face], 250, 250)).toBe(1);
  });
});

describe('Gallery fast paths', () => {
  const unit = (...v: number[]) => makeEmbedding('m', v);
  const samples = [
    { personId: 'ada', embedding: unit(1, 0, 0) },
    { personId: 'ada', embedding: unit(0.9, 0.1, 0) },
    { personId: 'eve', embedding: unit(0, 1, 0) },
    { personId: 'bob', embedding: unit(0, 0, 1) },
    { personId: 'bob', embedding: unit(0.5, 0, 0.5) },
  ];
  const gallery = new Gallery('m', 3, samples);

  it('nearestTwo agrees with the first two of the full ranking', () => {
    for (const probe of [unit(1, 0.2, 0), unit(0.1, 1, 0), unit(0.4, 0, 0.6), unit(1, 1, 1)]) {
      expect(gallery.nearestTwo(probe)).toEqual(gallery.rankPeople(probe).slice(0, 2));
    }
  });

  it('survives the trip to the worker as parts, with the same answers', () => {
    const copy = Gallery.fromParts(gallery.toParts());
    expect(copy.size).toBe(5);
    const probe = unit(0.3, 0.2, 0.9);
    expect(copy.rankPeople(probe)).toEqual(gallery.rankPeople(probe));
    expect(() => Gallery.fromParts({ ...gallery.toParts(), dims: 4 })).toThrow(/do not fit/);
  });
});

describe('calibrateRobustPolicy', () => {
  /** One gallery's probes: 100 strangers at distances base + i·step, and 50 enrolled probes at 0.05. */
  const split = (base: number, step: number): RankedProbe[] => [
    ...Array.from({ length: 100 }, (_, i): RankedProbe => ({ truth: null, ranked: [{ personId: 'x', distance: base + i * step }, { personId: 'y', distance: 2 }] })),
    ...Array.from({ length: 50 }, (): RankedProbe => ({ truth: 'a', ranked: [{ personId: 'a', distance: 0.05 }, { personId: 'y', distance: 2 }] })),
  ];

  it('holds the target on more unseen galleries than the exact fit does', () => {
    // Strangers come closer in some galleries than in others, as they do from one LFW split to the next.
    const bases = [0.3, 0.32, 0.34, 0.36, 0.38, 0.4, 0.42, 0.44, 0.46, 0.48];
    const fitted = bases.map((b) => split(b, 0.01));
    const unseen = bases.map((b) => split(b + 0.01, 0.01));
    const exact = calibratePolicy(fitted.flat(), 0.01, [0]);
    const robust = calibrateRobustPolicy(fitted, 0.01, { resamples: 200, confidence: 0.9 }, [0]);
    expect(robust.policy.threshold).toBeLessThan(exact.policy.threshold);
    const over = (policy: MatchPolicy) => unseen.filter((g) => identificationRates(g, policy).fpir > 0.01).length;
    expect(over(robust.policy)).toBeLessThan(over(exact.policy));
    // The enrolled probes sit far inside both thresholds: the margin costs them nothing here.
    expect(robust.rates.dir).toBe(1);
  });

  it('gives the same policy on every run', () => {
    const fitted = [0.3, 0.35, 0.4].map((b) => split(b, 0.01));
    expect(calibrateRobustPolicy(fitted, 0.01)).toEqual(calibrateRobustPolicy(fitted, 0.01));
  });
});
