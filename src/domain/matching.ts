// Open-set identification: the nearest enrolled person, and whether the probe is close enough to them
// — and far enough from everyone else — to be named. Everything else is "Not in database".
import { assertSameSpace, type Embedding } from './embedding.ts';

export type Decision =
  | { kind: 'known'; personId: string; distance: number; margin: number }
  | { kind: 'unknown'; nearestDistance: number };

/**
 * Calibrated for 1:N, not 1:1: a probe is named only when its squared distance to the nearest person is
 * at most `threshold` AND that person is at least `minMargin` nearer than the second-nearest person.
 * The margin refuses probes that sit between two people, which a lone threshold would name.
 */
export interface MatchPolicy {
  threshold: number;
  minMargin: number;
}

export interface Sample {
  personId: string;
  embedding: Embedding;
}

export interface PersonDistance {
  personId: string;
  distance: number;
}

/** The largest squared distance between unit vectors; the margin when only one person is enrolled. */
export const MAX_SQUARED_DISTANCE = 4;

/**
 * All enrolled samples of one model in one contiguous Float32Array, so a probe against every sample is
 * a single pass over memory (a matrix-vector product), with the nearest sample kept per person.
 */
export class Gallery {
  readonly modelId: string;
  readonly dims: number;
  private readonly matrix: Float32Array;
  private readonly owners: string[];

  constructor(modelId: string, dims: number, samples: readonly Sample[]) {
    this.modelId = modelId;
    this.dims = dims;
    this.matrix = new Float32Array(samples.length * dims);
    this.owners = [];
    samples.forEach((s, i) => {
      if (s.embedding.modelId !== modelId) throw new TypeError(`Sample of ${s.embedding.modelId} in a ${modelId} gallery`);
      if (s.embedding.vector.length !== dims) throw new TypeError(`Sample has ${s.embedding.vector.length} dims, gallery ${dims}`);
      this.matrix.set(s.embedding.vector, i * dims);
      this.owners.push(s.personId);
    });
  }

  get size(): number {
    return this.owners.length;
  }

  /** Every person's nearest-sample squared distance to the probe, nearest first. */
  rankPeople(probe: Embedding): PersonDistance[] {
    if (probe.modelId !== this.modelId || probe.vector.length !== this.dims) {
      assertSameSpace(probe, { modelId: this.modelId, vector: new Float32Array(this.dims) } as Embedding);
    }
    const best = new Map<string, number>();
    const v = probe.vector;
    const m = this.matrix;
    const d = this.dims;
    for (let row = 0; row < this.owners.length; row++) {
      let dot = 0;
      const off = row * d;
      for (let i = 0; i < d; i++) dot += (m[off + i] as number) * (v[i] as number);
      // ‖a − b‖² = 2 − 2·a·b for unit vectors; clamp float error.
      const dist = Math.max(0, 2 - 2 * dot);
      const owner = this.owners[row] as string;
      const prev = best.get(owner);
      if (prev === undefined || dist < prev) best.set(owner, dist);
    }
    return [...best].map(([personId, distance]) => ({ personId, distance })).sort((a, b) => a.distance - b.distance);
  }
}

/** The decision for one probe, given people ranked by distance (nearest first). */
export function decideIdentity(ranked: readonly PersonDistance[], policy: MatchPolicy): Decision {
  const first = ranked[0];
  if (!first) return { kind: 'unknown', nearestDistance: Number.POSITIVE_INFINITY };
  const second = ranked[1];
  const margin = (second ? second.distance : MAX_SQUARED_DISTANCE) - first.distance;
  if (first.distance <= policy.threshold && margin >= policy.minMargin) {
    return { kind: 'known', personId: first.personId, distance: first.distance, margin };
  }
  return { kind: 'unknown', nearestDistance: first.distance };
}
