// How sure a name is, in words that mean the same for every model. A percentage of cosine similarity did
// not: under dlib every name read 94–96 %, under arcface a right name can read 45 %. What matters is how
// far inside the model's calibrated threshold the match is.

export type MatchConfidence = 'sure' | 'likely';

/**
 * A match within this share of the threshold is "sure"; the last quarter before the threshold is
 * "likely", where a look-alike stranger is most often found.
 */
export const SURE_WITHIN = 0.75;

export function matchConfidence(squaredDistance: number, threshold: number): MatchConfidence {
  return squaredDistance <= SURE_WITHIN * threshold ? 'sure' : 'likely';
}

/** The figures behind the word, for a tooltip or details. */
export function matchDetail(squaredDistance: number, threshold: number): string {
  return `distance ${squaredDistance.toFixed(3)}, names up to ${threshold.toFixed(3)}`;
}
