// Faces followed across frames: each keeps a track id, is embedded only when that can change its name
// (new, stale, jumped or crossed by another face, or in doubt), and is named by its recent decisions, so a label neither
// flickers on one odd frame nor lingers when someone else steps in.
import { iou, type PixelBox } from './geometry.ts';
import type { Decision } from './matching.ts';

export interface TrackingOptions {
  /** Overlap that continues a track from one frame to the next. */
  minIou: number;
  /** A track survives this long unseen (a blink of the detector, a hand in front of the face). */
  maxMissMs: number;
  /** A named face is re-embedded this often to confirm its name. */
  reembedMs: number;
  /**
   * Below this overlap with its box in the frame before, a face jumped (a fast move the tracker bridged,
   * or another face taking the track over): embed again now. A face that walks steadily changes its box
   * a little each frame and keeps its name until its next check.
   */
  jumpIou: number;
  /** Frames a track must be seen before it is shown (one-frame phantoms never get a label)… */
  minHits: number;
  /** …unless the detector is at least this sure of it (phantoms score 0.3-0.5): then from its first frame. */
  showAtOnceScore: number;
  /** Consecutive agreeing decisions needed to change a track's name. */
  switchAfter: number;
}

export const DEFAULT_TRACKING: TrackingOptions = {
  minIou: 0.3,
  maxMissMs: 600,
  reembedMs: 1000,
  jumpIou: 0.5,
  minHits: 2,
  showAtOnceScore: 0.75,
  switchAfter: 2,
};

export type TrackIdentity =
  | { kind: 'known'; personId: string; distance: number }
  | { kind: 'unknown'; nearestDistance: number }
  /** Not decided yet (no embedding so far). */
  | { kind: 'pending' };

export interface TrackStep<T> {
  trackId: number;
  face: T;
  /** Whether this face needs an embedding this frame. */
  embed: boolean;
  /** Whether the face is shown (seen in enough frames). */
  shown: boolean;
}

interface Track {
  id: number;
  box: PixelBox;
  hits: number;
  lastSeen: number;
  embeddedAt: number;
  /**
   * Since its last embedding the face jumped or went unseen for a frame, or met another face (their boxes overlapped) and is now
   * apart from every face: two people crossing may have swapped tracks, so the name is checked again.
   */
  jumped: boolean;
  metOther: boolean;
  identity: TrackIdentity;
  /** A different identity the latest decisions agree on, and how many in a row. */
  challenger: { key: string; identity: TrackIdentity; count: number } | null;
  /** Embed on the next frame whatever the clock says (a decision disagreed with the name). */
  doubt: boolean;
}

/**
 * Why a face wants an embedding this frame, most urgent first: a face with no name yet, then one whose
 * last decision disagreed, one that may have become someone else (it jumped, or crossed another face),
 * one due for its check.
 */
const URGENCY = ['pending', 'doubt', 'changed', 'due'] as const;
type Urgency = (typeof URGENCY)[number];

const keyOf = (d: TrackIdentity): string => (d.kind === 'known' ? `person:${d.personId}` : d.kind);

const centre = (b: PixelBox) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

/**
 * How well a detection continues a track: its IoU, or, for a face that moved fast (IoU below the bar)
 * but stayed near and the same size, a small positive score so it still beats starting a new track.
 */
function continuation(track: PixelBox, face: PixelBox, minIou: number): number {
  const overlap = iou(track, face);
  if (overlap >= minIou) return overlap;
  const a = centre(track);
  const b = centre(face);
  const size = Math.max(track.width, face.width);
  const ratio = face.width / track.width;
  return Math.hypot(a.x - b.x, a.y - b.y) < 0.6 * size && ratio > 0.7 && ratio < 1.4 ? minIou * 1e-3 : 0;
}

export class FaceTracker {
  private tracks: Track[] = [];
  private nextId = 1;
  private lastFrameAt: number | null = null;

  constructor(private readonly options: TrackingOptions = DEFAULT_TRACKING) {}

  /**
   * Matches this frame's faces to tracks (greedy by overlap), starts new tracks, drops stale ones.
   * @param maxEmbeddings how many faces may be embedded this frame (the most urgent ones; the rest stay
   *   due for the next frame), so that one frame does not carry several embeddings on top of a full
   *   detection and miss the camera's next frames. While no face on screen has a name yet, one is embedded
   *   whatever the allowance: nothing else shows, and the first label should not wait.
   */
  observe<T extends { box: PixelBox; score?: number }>(faces: readonly T[], now: number, maxEmbeddings = Infinity): TrackStep<T>[] {
    const o = this.options;
    // On a slow device frames come further apart than maxMissMs: a face missing from no frame at all
    // must not lose its track (it would never be seen twice, so never shown). Keep a track through at
    // least one missed frame, whatever the clock says.
    const previousFrameAt = this.lastFrameAt ?? now;
    const interval = now - previousFrameAt;
    this.lastFrameAt = now;
    const maxMiss = Math.max(o.maxMissMs, 2.5 * interval);
    this.tracks = this.tracks.filter((t) => now - t.lastSeen <= maxMiss);
    const pairs: { t: number; f: number; score: number }[] = [];
    this.tracks.forEach((track, t) => faces.forEach((face, f) => {
      const score = continuation(track.box, face.box, o.minIou);
      if (score > 0) pairs.push({ t, f, score });
    }));
    pairs.sort((a, b) => b.score - a.score);
    const trackOf = new Map<number, Track>();
    const takenTracks = new Set<number>();
    for (const { t, f } of pairs) {
      if (takenTracks.has(t) || trackOf.has(f)) continue;
      takenTracks.add(t);
      trackOf.set(f, this.tracks[t] as Track);
    }
    const seen = faces.map((face, f) => {
      let track = trackOf.get(f);
      if (!track) {
        track = { id: this.nextId++, box: face.box, hits: 0, lastSeen: now, embeddedAt: -Infinity, jumped: false, metOther: false, identity: { kind: 'pending' }, challenger: null, doubt: false };
        this.tracks.push(track);
      }
      // Back after missing a frame, or far from where it was: maybe not the face it was.
      if (track.lastSeen < previousFrameAt || iou(track.box, face.box) < o.jumpIou) track.jumped = true;
      const near = faces.some((other) => other !== face && iou(other.box, face.box) > 0);
      const crossed = track.metOther && !near;
      if (near) track.metOther = true;
      track.box = face.box;
      track.hits += 1;
      track.lastSeen = now;
      return { face, track, urgency: this.urgency(track, crossed, now) };
    });
    const named = seen.some(({ track }) => track.identity.kind !== 'pending');
    const allowance = named ? maxEmbeddings : Math.max(1, maxEmbeddings);
    // Most urgent first; among equals the one embedded longest ago.
    const chosen = new Set(seen
      .filter((s) => s.urgency !== null)
      .sort((a, b) => URGENCY.indexOf(a.urgency as Urgency) - URGENCY.indexOf(b.urgency as Urgency) || a.track.embeddedAt - b.track.embeddedAt)
      .slice(0, allowance)
      .map((s) => s.track));
    return seen.map(({ face, track }): TrackStep<T> => {
      const embed = chosen.has(track);
      if (embed) {
        track.embeddedAt = now;
        track.jumped = false;
        track.metOther = false;
        track.doubt = false;
      }
      return { trackId: track.id, face, embed, shown: track.hits >= o.minHits || (face.score ?? 0) >= o.showAtOnceScore };
    });
  }

  /** Why this track wants an embedding now, or null when its name stands. */
  private urgency(track: Track, crossed: boolean, now: number): Urgency | null {
    if (track.identity.kind === 'pending') return 'pending';
    if (track.doubt) return 'doubt';
    if (track.jumped || crossed) return 'changed';
    return now - track.embeddedAt >= this.options.reembedMs ? 'due' : null;
  }

  /** Feeds one decision for a track's fresh embedding. */
  decide(trackId: number, decision: Decision): void {
    const track = this.tracks.find((t) => t.id === trackId);
    if (!track) return;
    const identity: TrackIdentity = decision.kind === 'known'
      ? { kind: 'known', personId: decision.personId, distance: decision.distance }
      : { kind: 'unknown', nearestDistance: decision.nearestDistance };
    const key = keyOf(identity);
    if (track.identity.kind === 'pending' || key === keyOf(track.identity)) {
      track.identity = identity;
      track.challenger = null;
      return;
    }
    // Disagreement: one odd decision changes nothing, but look again at once.
    track.challenger = track.challenger?.key === key ? { key, identity, count: track.challenger.count + 1 } : { key, identity, count: 1 };
    track.doubt = true;
    if (track.challenger.count >= this.options.switchAfter) {
      track.identity = identity;
      track.challenger = null;
      track.doubt = false;
    }
  }

  identity(trackId: number): TrackIdentity {
    return this.tracks.find((t) => t.id === trackId)?.identity ?? { kind: 'pending' };
  }

  /** The enrolled people or the policy changed: every track is decided afresh on its next frame. */
  invalidate(): void {
    for (const t of this.tracks) {
      t.identity = { kind: 'pending' };
      t.challenger = null;
    }
  }

  get size(): number {
    return this.tracks.length;
  }
}
