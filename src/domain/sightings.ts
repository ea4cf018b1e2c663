// Sightings: who was seen, from when to when, and how close they came to their enrolled samples, built
// from the tracked faces of the live view. Pure: the app feeds it frames and stores what it hands back.
import type { TrackIdentity } from './face-tracking.ts';
import type { PixelBox } from './geometry.ts';

export interface Sighting {
  id: string;
  /** null: a face that stayed "Not in database". */
  personId: string | null;
  firstSeen: number;
  lastSeen: number;
  /**
   * Named: the smallest squared distance to the person's samples while seen. Unknown: the smallest
   * distance to anyone enrolled (Infinity when nobody is).
   */
  bestDistance: number;
}

export interface SightingOptions {
  /** A face must stay "Not in database" this long to be logged (a face being named is not a stranger). */
  unknownAfterMs: number;
  /**
   * A person seen again within this gap continues their sighting (the tracker lost them for a moment,
   * they turned away) instead of starting a new row.
   */
  mergeGapMs: number;
}

export const DEFAULT_SIGHTINGS: SightingOptions = { unknownAfterMs: 3000, mergeGapMs: 10_000 };

export interface TrackedFace {
  trackId: number;
  box: PixelBox;
  identity: TrackIdentity;
}

interface TrackState {
  key: string;
  /** When the track's current identity was first decided (for the unknown delay). */
  since: number;
  sighting: Sighting | null;
  lastSeen: number;
}

/** Longer than the tracker keeps an unseen track, so a track that comes back keeps its state. */
const FORGET_TRACK_MS = 2000;

const keyOf = (identity: TrackIdentity): string => (identity.kind === 'known' ? `person:${identity.personId}` : identity.kind);

/** A sighting just opened, with the face's box in that frame (for an optional thumbnail). */
export interface OpenedSighting {
  sighting: Sighting;
  box: PixelBox;
}

export class SightingRecorder {
  private readonly tracks = new Map<number, TrackState>();
  /** The latest sighting of each person, to continue it across short gaps. */
  private readonly latestByPerson = new Map<string, Sighting>();
  private readonly dirty = new Map<string, Sighting>();

  constructor(private readonly newId: () => string, private readonly options: SightingOptions = DEFAULT_SIGHTINGS) {}

  /** One recognised frame. Returns the sightings this frame opened. */
  observe(faces: readonly TrackedFace[], now: number): OpenedSighting[] {
    const opened: OpenedSighting[] = [];
    const seen = new Set<number>();
    for (const face of faces) {
      seen.add(face.trackId);
      const key = keyOf(face.identity);
      let track = this.tracks.get(face.trackId);
      if (!track || track.key !== key) {
        track = { key, since: now, sighting: null, lastSeen: now };
        this.tracks.set(face.trackId, track);
      }
      track.lastSeen = now;
      const identity = face.identity;
      if (identity.kind === 'pending') continue;
      if (!track.sighting) {
        if (identity.kind === 'known') {
          const latest = this.latestByPerson.get(identity.personId);
          if (latest && now - latest.lastSeen <= this.options.mergeGapMs) track.sighting = latest;
          else {
            track.sighting = { id: this.newId(), personId: identity.personId, firstSeen: now, lastSeen: now, bestDistance: identity.distance };
            opened.push({ sighting: track.sighting, box: face.box });
          }
          this.latestByPerson.set(identity.personId, track.sighting);
        } else if (now - track.since >= this.options.unknownAfterMs) {
          track.sighting = { id: this.newId(), personId: null, firstSeen: track.since, lastSeen: now, bestDistance: identity.nearestDistance };
          opened.push({ sighting: track.sighting, box: face.box });
        } else continue;
      }
      const s = track.sighting;
      s.lastSeen = Math.max(s.lastSeen, now);
      const distance = identity.kind === 'known' ? identity.distance : identity.nearestDistance;
      s.bestDistance = Math.min(s.bestDistance, distance);
      this.dirty.set(s.id, s);
    }
    // Tracks unseen for a while are forgotten (the tracker has dropped them); their sightings stop growing.
    for (const [id, track] of this.tracks) if (!seen.has(id) && now - track.lastSeen > FORGET_TRACK_MS) this.tracks.delete(id);
    return opened;
  }

  /** The sightings that changed since the last call, as copies (to store). */
  drain(): Sighting[] {
    const out = [...this.dirty.values()].map((s) => ({ ...s }));
    this.dirty.clear();
    return out;
  }
}

const DAY_MS = 86_400_000;

/** The oldest lastSeen a retention of `days` keeps. */
export function retentionCutoff(now: number, days: number): number {
  return now - days * DAY_MS;
}

/** The choices offered for how long history is kept. */
export const RETENTION_DAYS = [1, 7, 30, 90, 365] as const;
export const DEFAULT_RETENTION_DAYS = 30;
