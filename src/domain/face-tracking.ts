// Faces followed across frames: each keeps a track id, is embedded only when that can change its name
// (new, stale, moved a lot, or in doubt), and is named by its recent decisions, so a label neither
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
  /** Below this overlap with the box it was embedded at, the face has changed: embed again now. */
  changedIou: number;
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
  changedIou: 0.5,
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
  embeddedBox: PixelBox | null;
  identity: TrackIdentity;
  /** A different identity the latest decisions agree on, and how many in a row. */
  challenger: { key: string; identity: TrackIdentity; count: number } | null;
  /** Embed on the next frame whatever the clock says (a decision disagreed with the name). */
  doubt: boolean;
}

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

  /** Matches this frame's faces to tracks (greedy by overlap), starts new tracks, drops stale ones. */
  observe<T extends { box: PixelBox; score?: number }>(faces: readonly T[], now: number): TrackStep<T>[] {
    const o = this.options;
    // On a slow device frames come further apart than maxMissMs: a face missing from no frame at all
    // must not lose its track (it would never be seen twice, so never shown). Keep a track through at
    // least one missed frame, whatever the clock says.
    const interval = this.lastFrameAt === null ? 0 : now - this.lastFrameAt;
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
    const steps = faces.map((face, f): TrackStep<T> => {
      let track = trackOf.get(f);
      if (!track) {
        track = { id: this.nextId++, box: face.box, hits: 0, lastSeen: now, embeddedAt: -Infinity, embeddedBox: null, identity: { kind: 'pending' }, challenger: null, doubt: false };
        this.tracks.push(track);
      }
      track.box = face.box;
      track.hits += 1;
      track.lastSeen = now;
      const changed = track.embeddedBox !== null && iou(track.embeddedBox, face.box) < o.changedIou;
      const embed = track.identity.kind === 'pending' || track.doubt || changed || now - track.embeddedAt >= o.reembedMs;
      if (embed) {
        track.embeddedAt = now;
        track.embeddedBox = face.box;
        track.doubt = false;
      }
      return { trackId: track.id, face, embed, shown: track.hits >= o.minHits || (face.score ?? 0) >= o.showAtOnceScore };
    });
    return steps;
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
