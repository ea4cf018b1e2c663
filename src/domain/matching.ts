// Open-set identification: the nearest enrolled person, and whether the probe is close enough to them
// — and far enough from everyone else — to be named. Everything else is "Not in database".
import { assertSameSpace, type Embedding } from './embedding.ts';
import { projectEmbedding, validHead, type PersonalHead } from './personal-head.ts';

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

/** A gallery as plain data, to hand to the inference worker (the matrix can be transferred). */
export interface GalleryParts {
  modelId: string;
  dims: number;
  /** Person id of each row of the matrix. */
  owners: string[];
  /** owners.length × dims, row-major; already seen through the head when there is one. */
  matrix: Float32Array;
  /** The personal head probes must be seen through too. */
  head: PersonalHead | null;
}

/** Every person's best dot product with a probe (by person index), for one gallery's matrix. */
export type BestDots = (probe: Float32Array) => ArrayLike<number>;

/**
 * Makes the hot loop for one gallery, or null where it cannot (the gallery then uses the plain loop
 * below). The platform supplies a faster one: WebAssembly SIMD (inference/matcher), about 5× at 100 k.
 */
export type BestDotsFactory = (matrix: Float32Array, dims: number, owners: Int32Array, people: number) => BestDots | null;

/**
 * All enrolled samples of one model in one contiguous Float32Array, so a probe against every sample is
 * a single pass over memory (a matrix-vector product), with the nearest sample kept per person.
 * Owners are stored as small integers so the pass touches no strings or maps (100 k samples of 128-d
 * in a few milliseconds).
 */
export class Gallery {
  readonly modelId: string;
  readonly dims: number;
  private readonly matrix: Float32Array;
  private readonly owners: readonly string[];
  /** Index into `people` of each row's owner. */
  private readonly ownerIndex: Int32Array;
  private readonly people: readonly string[];
  readonly head: PersonalHead | null;
  private readonly bestDotsOf: BestDots;

  /**
   * @param head a personal head of this model: samples and probes are matched as seen through it.
   * @param projected the samples are already seen through the head (a gallery rebuilt from its parts).
   * @param kernel a faster hot loop for this platform (see BestDotsFactory).
   */
  constructor(modelId: string, dims: number, samples: readonly Sample[], head: PersonalHead | null = null, projected = false, kernel?: BestDotsFactory) {
    if (head && !validHead(head, modelId, dims)) throw new TypeError(`The personal head does not fit ${modelId} (${dims}-d)`);
    const matrix = new Float32Array(samples.length * dims);
    samples.forEach((s, i) => {
      if (s.embedding.modelId !== modelId) throw new TypeError(`Sample of ${s.embedding.modelId} in a ${modelId} gallery`);
      if (s.embedding.vector.length !== dims) throw new TypeError(`Sample has ${s.embedding.vector.length} dims, gallery ${dims}`);
      matrix.set(head && !projected ? projectEmbedding(head, s.embedding).vector : s.embedding.vector, i * dims);
    });
    this.head = head;
    const owners = samples.map((s) => s.personId);
    this.modelId = modelId;
    this.dims = dims;
    this.matrix = matrix;
    this.owners = owners;
    const people = [...new Set(owners)];
    const index = new Map(people.map((p, i) => [p, i]));
    this.people = people;
    this.ownerIndex = Int32Array.from(owners, (o) => index.get(o) ?? -1);
    const ownerIndex = this.ownerIndex;
    this.bestDotsOf = kernel?.(matrix, dims, ownerIndex, people.length) ?? ((v) => bestDotPerPerson(matrix, dims, ownerIndex, people.length, v));
  }

  /** Rebuilds a gallery from parts (in the worker); checks the shape, since the parts crossed a boundary. */
  static fromParts(parts: GalleryParts, kernel?: BestDotsFactory): Gallery {
    const { modelId, dims, owners, matrix, head } = parts;
    if (!Number.isInteger(dims) || dims <= 0 || matrix.length !== owners.length * dims) {
      throw new TypeError(`Gallery parts do not fit: ${owners.length} owners × ${dims} dims ≠ ${matrix.length} values`);
    }
    const samples: Sample[] = owners.map((personId, i) => ({
      personId,
      embedding: { modelId, vector: matrix.subarray(i * dims, (i + 1) * dims) } as Embedding,
    }));
    return new Gallery(modelId, dims, samples, head, true, kernel);
  }

  /** A copy of the gallery as plain data. */
  toParts(): GalleryParts {
    return { modelId: this.modelId, dims: this.dims, owners: [...this.owners], matrix: this.matrix.slice(), head: this.head };
  }

  /** Every sample as matched (seen through the head when there is one), in gallery order. */
  samples(): Sample[] {
    return this.owners.map((personId, i) => ({
      personId,
      embedding: { modelId: this.modelId, vector: this.matrix.slice(i * this.dims, (i + 1) * this.dims) } as Embedding,
    }));
  }

  get size(): number {
    return this.owners.length;
  }

  /** Every person's best dot product with the probe (its nearest sample), by person index. */
  private bestDots(probe: Embedding): ArrayLike<number> {
    if (probe.modelId !== this.modelId || probe.vector.length !== this.dims) {
      assertSameSpace(probe, { modelId: this.modelId, vector: new Float32Array(this.dims) } as Embedding);
    }
    const seen = this.head ? projectEmbedding(this.head, probe).vector : probe.vector;
    return this.bestDotsOf(seen);
  }

  /** Every person's nearest-sample squared distance to the probe, nearest first. */
  rankPeople(probe: Embedding): PersonDistance[] {
    const best = this.bestDots(probe);
    return this.people.map((personId, i) => ({ personId, distance: distanceOf(best[i] as number) })).sort((a, b) => a.distance - b.distance);
  }

  /**
   * The nearest two people only (all a decision needs: the nearest and the margin to the second), without
   * sorting everyone: one pass over the matrix, one over the people.
   */
  nearestTwo(probe: Embedding): PersonDistance[] {
    const best = this.bestDots(probe);
    let first = -1;
    let second = -1;
    for (let i = 0; i < best.length; i++) {
      const dot = best[i] as number;
      if (first < 0 || dot > (best[first] as number)) {
        second = first;
        first = i;
      } else if (second < 0 || dot > (best[second] as number)) second = i;
    }
    return [first, second].filter((i) => i >= 0).map((i) => ({ personId: this.people[i] as string, distance: distanceOf(best[i] as number) }));
  }
}

/**
 * The hot loop, as a plain function of typed arrays (V8 optimises it better than a method reading
 * fields): one pass over the matrix, four accumulators the CPU can overlap.
 */
function bestDotPerPerson(m: Float32Array, d: number, owners: Int32Array, people: number, v: Float32Array): Float64Array {
  const best = new Float64Array(people).fill(-Infinity);
  const rows = owners.length;
  const unrolled = d - (d % 4);
  for (let row = 0, off = 0; row < rows; row++, off += d) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let i = 0;
    for (; i < unrolled; i += 4) {
      s0 += (m[off + i] as number) * (v[i] as number);
      s1 += (m[off + i + 1] as number) * (v[i + 1] as number);
      s2 += (m[off + i + 2] as number) * (v[i + 2] as number);
      s3 += (m[off + i + 3] as number) * (v[i + 3] as number);
    }
    for (; i < d; i++) s0 += (m[off + i] as number) * (v[i] as number);
    const dot = s0 + s1 + s2 + s3;
    const owner = owners[row] as number;
    if (dot > (best[owner] as number)) best[owner] = dot;
  }
  return best;
}

/** ‖a − b‖² = 2 − 2·a·b for unit vectors; clamped against float error. */
const distanceOf = (dot: number) => Math.max(0, 2 - 2 * dot);

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
