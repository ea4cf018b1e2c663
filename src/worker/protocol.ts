// The messages between the page and the inference worker. Versioned: a page and a worker from different
// builds (a service-worker update mid-session) refuse each other instead of misreading fields.
import type { BackendName } from '../domain/backend-choice.ts';
import type { Embedding } from '../domain/embedding.ts';
import type { PixelBox } from '../domain/geometry.ts';
import type { GalleryParts, MatchPolicy } from '../domain/matching.ts';
import type { TrackIdentity } from '../domain/face-tracking.ts';
import type { AnalyzedFace } from '../inference/face-analyzer.ts';
import type { DetectedFace } from '../inference/face-detector.ts';
import type { LoadProgress } from '../inference/verified-model-files.ts';
import type { StartupTimeline } from '../inference/vision-stack.ts';
import type { EmbedderId } from '../domain/embedder-specs.ts';
import type { FaceQuality } from '../domain/quality-gates.ts';
import type { FrameImage } from '../inference/frame-pixels.ts';
import type { PersonalisationProgress, PersonalisationResult } from '../inference/personalisation.ts';

/**
 * 2: personal heads (personalise-* requests, galleries carry a head). 3: anti-spoofing on capture and
 * recognize. 5: embed-stored names its model. 6: spoof scores are the replay check's `person`.
 */
export const PROTOCOL_VERSION = 6;

export interface EngineInfo {
  backend: BackendName;
  renderer: string | null;
  verifiedBytes: number;
  modelId: EmbedderId;
  /** The calibrated 1:N policy of the active model (null when the manifest has none). */
  calibrated: MatchPolicy | null;
  /** Milliseconds of one live frame (detection + one embedding) on each backend timed at start. */
  timings: Partial<Record<BackendName, number>>;
  /**
   * How the backend was chosen: timed against the other ('measured'), asked for by the page (an override
   * or a remembered measurement: 'given'), or the first that started in preference order.
   */
  choice: 'measured' | 'given' | 'preference';
  /** When each start-up step of the engine ended, ms from its start (for the first-label benchmark). */
  startupMs: StartupTimeline;
}

/** A face ready to enroll: its embedding, the quality numbers the gates judge, and its thumbnail. */
export interface CapturedSample {
  face: DetectedFace;
  embedding: Embedding;
  quality: FaceQuality;
  /** Aligned face, JPEG (240 px; 224 from older versions): stored-face.ts. */
  thumbnail: Blob;
}

/** One tracked face of a recognised frame. */
export interface RecognizedFace {
  trackId: number;
  box: PixelBox;
  identity: TrackIdentity;
  /** Whether this frame computed a fresh embedding for it (the rest reuse the track's decision). */
  embedded: boolean;
  /** Asked for anti-spoofing: whether the track looks like a photo or screen (median of its recent scores). */
  photo?: boolean;
}

export interface FrameSize {
  width: number;
  height: number;
}

/** What the page asks; each carries an id its answer repeats. */
export type Request =
  /**
   * backend: the user's override. remembered: what an earlier start measured, as stored (the engine
   * checks it against this build and its own GPU: the page creates no WebGL context, ~0.4 s here).
   */
  | { kind: 'start'; modelsUrl: string; modelId: EmbedderId; backend?: BackendName; remembered?: { build: string; stored: unknown };
      /** When the engine's script was running (performance.now() of the thread it runs on). */
      scriptAt?: number }
  | { kind: 'analyze'; frame: FrameImage; embed: boolean }
  /** spoof: also judge each track for anti-spoofing (its models load on the first such request). */
  | { kind: 'recognize'; frame: FrameImage; now: number; spoof: boolean }
  | { kind: 'capture'; frame: FrameImage; spoof: boolean }
  /** `modelId`: a model other than the live one (a migration embeds for the next model while this one serves). */
  | { kind: 'embed-stored'; face: Blob; modelId?: EmbedderId }
  | { kind: 'set-gallery'; gallery: GalleryParts; policy: MatchPolicy }
  /** Starts training a personal head on these samples (no head applied), judged at this policy. */
  | { kind: 'personalise-start'; samples: GalleryParts; policy: MatchPolicy }
  /** Runs a few more training steps; the result comes with the last. */
  | { kind: 'personalise-advance'; steps: number }
  | { kind: 'personalise-cancel' };

/** The answer type of each request kind. */
export interface Answers {
  start: EngineInfo;
  analyze: FrameSize & { faces: AnalyzedFace[] };
  /** computeMs: time the engine spent on the frame (the rest of a round trip is waiting and transfer). */
  /** tensors: tfjs tensors alive after the frame (flat over a session, or something leaks). */
  recognize: FrameSize & { faces: RecognizedFace[]; computeMs: number; tensors: number };
  capture: CapturedSample[];
  'embed-stored': Embedding;
  'set-gallery': null;
  'personalise-start': PersonalisationProgress;
  'personalise-advance': PersonalisationProgress & { result: PersonalisationResult | null };
  'personalise-cancel': null;
}

export type RequestMessage = { v: typeof PROTOCOL_VERSION; id: number } & Request;

export type ReplyMessage =
  | { v: typeof PROTOCOL_VERSION; id: number; kind: 'progress'; progress: LoadProgress }
  | { v: typeof PROTOCOL_VERSION; id: number; kind: 'done'; value: Answers[keyof Answers] }
  | { v: typeof PROTOCOL_VERSION; id: number; kind: 'failed'; message: string }
  /** Unasked (id 0): the GPU dropped the worker's WebGL context; it cannot go on, start another on wasm. */
  | { v: typeof PROTOCOL_VERSION; id: 0; kind: 'webgl-lost' };

/** How the engine words a lost WebGL context, so the client can tell it from other failures. */
export const WEBGL_LOST = 'The WebGL context was lost';

/** The frames a request carries, to transfer (never copy) and to close on every path. */
export function framesOf(request: Request): FrameImage[] {
  return 'frame' in request ? [request.frame] : [];
}
