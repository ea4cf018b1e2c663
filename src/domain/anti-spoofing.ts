// Whether a face in front of the camera looks like a person or like a photo or screen held up to it,
// from the replay check's score (inference/replay-check.ts). Single frames are noisy, so a live track
// is judged on the median of its recent scores.

export interface SpoofScores {
  /** The replay check: the probability (0-1) that this is a person in front of the camera. */
  person: number;
}

export interface SpoofPolicy {
  minPerson: number;
}

/**
 * Chosen by `npm run eval -- spoof` on one photo of each of 4,281 LFW people, as they are (real faces)
 * and as simulated screen replays (`--recapture`; no real attack photos ship in the packages): this floor
 * refuses about 3 % of real faces on a single frame and catches about 60 % of the replays, where Human's
 * antispoof and liveness floors refused 2.8 % and caught 35 % (docs/RELIABILITY.md).
 */
export const SPOOF_POLICY: SpoofPolicy = { minPerson: 0.05 };

export function looksSpoofed(s: SpoofScores, policy: SpoofPolicy = SPOOF_POLICY): boolean {
  return s.person < policy.minPerson;
}

export const SPOOF_MESSAGE = 'This looks like a photo or a screen, not a person in front of the camera.';

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** Per track: the median of its last few scores decides, so one odd frame does not relabel a face. */
export class SpoofVotes {
  private readonly recent = new Map<number, SpoofScores[]>();

  constructor(private readonly window = 5, private readonly policy: SpoofPolicy = SPOOF_POLICY) {}

  /** Adds this frame's scores of a track; true when the track looks like a photo. */
  observe(trackId: number, scores: SpoofScores): boolean {
    const list = [...(this.recent.get(trackId) ?? []), scores].slice(-this.window);
    this.recent.set(trackId, list);
    return looksSpoofed({ person: median(list.map((s) => s.person)) }, this.policy);
  }

  /** Drops the tracks no longer in view. */
  keepOnly(trackIds: ReadonlySet<number>): void {
    for (const id of this.recent.keys()) if (!trackIds.has(id)) this.recent.delete(id);
  }
}
