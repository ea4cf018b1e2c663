// The calibration view's numbers, from the enrolled samples alone: how far apart photos of the same person
// are and how close photos of different people come, what a threshold would miss or wrongly name, and
// which people sit close to each other.
import { MAX_SQUARED_DISTANCE, type Sample } from './matching.ts';

export interface DistanceSets {
  /** Squared distances between two samples of the same person. */
  same: number[];
  /** Squared distances between samples of two different people. */
  different: number[];
}

const distance = (a: Float32Array, b: Float32Array): number => {
  let dot = 0;
  for (let k = 0; k < a.length; k++) dot += (a[k] as number) * (b[k] as number);
  return Math.max(0, 2 - 2 * dot);
};

/** Most samples the calibration view compares pairwise (2,000 samples: 2 million pairs, ~0.3 s). */
export const MAX_CALIBRATION_SAMPLES = 2000;

/**
 * The samples the view compares: all of them up to the cap, else whole people in a fixed pseudo-random
 * order until the cap (every pair is O(n²): 20,000 samples would be 200 million pairs).
 */
export function calibrationSamples(samples: readonly Sample[], max = MAX_CALIBRATION_SAMPLES): readonly Sample[] {
  if (samples.length <= max) return samples;
  const byPerson = new Map<string, Sample[]>();
  for (const s of samples) byPerson.set(s.personId, [...(byPerson.get(s.personId) ?? []), s]);
  const hash = (id: string) => [...id].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261) >>> 0;
  const out: Sample[] = [];
  for (const [, group] of [...byPerson].sort((a, b) => hash(a[0]) - hash(b[0]))) {
    if (out.length + group.length > max) continue;
    out.push(...group);
  }
  return out;
}

/** Every pair of samples once. */
export function enrolledDistances(samples: readonly Sample[]): DistanceSets {
  const sets: DistanceSets = { same: [], different: [] };
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const a = samples[i] as Sample;
      const b = samples[j] as Sample;
      (a.personId === b.personId ? sets.same : sets.different).push(distance(a.embedding.vector, b.embedding.vector));
    }
  }
  return sets;
}

/** Counts per bin of equal width over [0, max); values at or above max go in the last bin. */
export function histogram(values: readonly number[], bins: number, max: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const bin = Math.min(bins - 1, Math.max(0, Math.floor((v / max) * bins)));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return counts;
}

export interface ThresholdRates {
  /** Share of same-person pairs farther apart than the threshold: a photo of someone that would not be named. */
  missRate: number | null;
  /** Share of different-person pairs within the threshold: a photo that would be taken for someone else. */
  falseNameRate: number | null;
}

export function ratesAt(sets: DistanceSets, threshold: number): ThresholdRates {
  const share = (values: number[], hit: (v: number) => boolean) => (values.length ? values.filter(hit).length / values.length : null);
  return { missRate: share(sets.same, (v) => v > threshold), falseNameRate: share(sets.different, (v) => v <= threshold) };
}

/**
 * Same-person distances all this close to zero, as a share of the threshold, are near-copies of one
 * picture (frames of a still photo sit at 1–2 % of it; photos of a person from other days at 30–90 %):
 * they say nothing about how often that person's other photos would be missed.
 */
export const TOO_ALIKE_SHARE = 0.15;

/** Whether the same-person pairs are too alike to estimate misses from (see TOO_ALIKE_SHARE). */
export function samplesTooAlike(sets: DistanceSets, threshold: number): boolean {
  return sets.same.length > 0 && sets.same.every((d) => d < TOO_ALIKE_SHARE * threshold);
}

export interface NearestOther {
  personId: string;
  otherId: string;
  /** Smallest squared distance between a sample of the person and one of the other. */
  distance: number;
  /** How much farther than the threshold that is; negative: their photos could be named as each other. */
  margin: number;
}

/** For each person, the closest other person, closest pairs first. */
export function nearestOthers(samples: readonly Sample[], threshold: number): NearestOther[] {
  const best = new Map<string, { otherId: string; distance: number }>();
  for (let i = 0; i < samples.length; i++) {
    for (let j = 0; j < samples.length; j++) {
      const a = samples[i] as Sample;
      const b = samples[j] as Sample;
      if (a.personId === b.personId) continue;
      const d = distance(a.embedding.vector, b.embedding.vector);
      if (d < (best.get(a.personId)?.distance ?? MAX_SQUARED_DISTANCE + 1)) best.set(a.personId, { otherId: b.personId, distance: d });
    }
  }
  return [...best].map(([personId, { otherId, distance: d }]) => ({ personId, otherId, distance: d, margin: d - threshold }))
    .sort((x, y) => x.distance - y.distance);
}
