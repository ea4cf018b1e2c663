// Finds every face in an image with Human's blazeface proposals refined by its face mesh, on our
// single tfjs instance, and reports each face's box, score and five alignment points.
import * as HumanModule from '#human';
import * as tf from '@tensorflow/tfjs-core';
import type { Config, FaceResult, Human as HumanInstance } from '#human';
import { pixelBox, type FivePoints, type PixelBox, type Point } from '../domain/geometry.ts';
import { SECOND_LOOK_BELOW, withSecondLook } from '../domain/second-look.ts';
import { VERIFIED_SCHEME } from './verified-model-router.ts';
import type { BackendName } from '../domain/backend-choice.ts';
import type { SpoofScores } from '../domain/anti-spoofing.ts';

export interface DetectedFace {
  box: PixelBox;
  /** Confidence 0-1: the lower of the detector's box score and the mesh's face score. */
  score: number;
  points: FivePoints;
  /** Head pose from the mesh, radians; used by quality gates. */
  yaw: number;
  pitch: number;
  /**
   * Human's antispoof "real face" and liveness scores (0-1), only when asked for: `eval spoof` measures
   * them beside the replay check, which is what the app uses.
   */
  humanSpoof?: { real: number; live: number };
  /** The replay check's score (replay-check.ts), when the caller asked for it. */
  spoof?: SpoofScores;
}

/** Human's anti-spoofing models, loaded only for `eval spoof`'s comparison. */
export const SPOOF_MODELS = ['antispoof', 'liveness'] as const;

// The default export differs between the ESM browser build and the CommonJS Node build.
const HumanClass = (HumanModule as unknown as { Human: typeof HumanInstance }).Human;

// MediaPipe FaceMesh indices: eye corners (averaged into eye centres), nose tip, mouth corners.
// "Left"/"right" are as seen in the image, which is what the alignment templates use.
const MESH = { imageLeftEye: [33, 133], imageRightEye: [362, 263], nose: 1, mouthLeft: 61, mouthRight: 291 } as const;

export const MAX_FACES = 20;

/** Human's own default: on LFW a stricter 0.5 missed 5 of 7,701 faces; 0.2 is what was measured to miss none. */
export const MIN_DETECTOR_SCORE = 0.2;

/** Changes whenever detection output would change (cached detections are keyed by it). */
export const DETECTOR_VERSION = `blazeface+facemesh/min${MIN_DETECTOR_SCORE}/nose1/retry3/second-look${SECOND_LOOK_BELOW}`;

/**
 * When a photo (not a live frame) shows no face, these other views of it are tried in turn: the photo
 * zoomed out in a black frame three times its size (blazeface misses some faces that fill the picture),
 * mirrored, and brighter. Each of the 4 LFW photos (of 7,701) where the detector found nothing is found by
 * one of them. A photo whose faces are all doubtful gets only the zoomed-out view, as a second look
 * (domain/second-look.ts); the others are unchanged.
 */
export const PHOTO_RETRIES = ['zoomed-out', 'mirrored', 'brighter'] as const;
export type PhotoRetry = (typeof PHOTO_RETRIES)[number];

/**
 * The longer side a photo is shrunk to before the zoomed-out retry frames it three times its size: a
 * 12-megapixel phone photo framed at full size is a 12,096 × 9,072 tensor, which ran tfjs-wasm out of
 * memory ("memory access out of bounds", measured in Node) and would crash the worker.
 */
export const ZOOMED_OUT_MAX_SIDE = 1024;

/** The view of a [1, H, W, 3] image, and how to carry a face found in it back to the image. */
function retryView(image: tf.Tensor4D, retry: PhotoRetry): { view: tf.Tensor4D; back: (f: DetectedFace) => DetectedFace } {
  const [, h, w] = image.shape;
  if (retry === 'zoomed-out') {
    // Blazeface sees any view at 256 px, so a large photo is shrunk before it is framed: only the mesh's
    // crop of a face that fills the picture loses detail, which it does not need at this size.
    const scale = Math.min(1, ZOOMED_OUT_MAX_SIDE / Math.max(h, w));
    const sh = Math.max(1, Math.round(h * scale));
    const sw = Math.max(1, Math.round(w * scale));
    const [sx, sy] = [sw / w, sh / h];
    const back = (p: Point): Point => ({ x: (p.x - sw) / sx, y: (p.y - sh) / sy });
    return {
      view: tf.tidy(() => tf.pad(scale < 1 ? tf.image.resizeBilinear(image, [sh, sw]) : image, [[0, 0], [sh, sh], [sw, sw], [0, 0]])),
      back: (f) => ({ ...f, box: pixelBox((f.box.x - sw) / sx, (f.box.y - sh) / sy, f.box.width / sx, f.box.height / sy), points: mapPoints(f.points, back) }),
    };
  }
  if (retry === 'mirrored') {
    const mirror = (p: Point): Point => ({ x: w - p.x, y: p.y });
    return {
      view: tf.tidy(() => tf.image.flipLeftRight(tf.cast(image, 'float32'))),
      // Mirrored, the eye on the image's left is the person's other eye: swap the sides back.
      back: (f) => {
        const p = mapPoints(f.points, mirror);
        const points = { leftEye: p.rightEye, rightEye: p.leftEye, nose: p.nose, mouthLeft: p.mouthRight, mouthRight: p.mouthLeft };
        return { ...f, box: pixelBox(w - f.box.x - f.box.width, f.box.y, f.box.width, f.box.height), points, yaw: -f.yaw };
      },
    };
  }
  return { view: tf.tidy(() => tf.clipByValue(tf.add(tf.mul(tf.cast(image, 'float32'), 1.3), 10), 0, 255)), back: (f) => f };
}

function mapPoints(p: FivePoints, map: (q: Point) => Point): FivePoints {
  return { leftEye: map(p.leftEye), rightEye: map(p.rightEye), nose: map(p.nose), mouthLeft: map(p.mouthLeft), mouthRight: map(p.mouthRight) };
}

export function detectorConfig(backend: BackendName, wasmBase: string): Partial<Config> {
  return {
    backend,
    wasmPath: wasmBase,
    modelBasePath: VERIFIED_SCHEME,
    cacheModels: false, // models come verified from our own loader (and the service worker caches them)
    debug: false,
    warmup: 'none',
    async: true,
    filter: { enabled: false },
    face: {
      enabled: true,
      detector: { modelPath: 'blazeface.json', maxDetected: MAX_FACES, rotation: true, minConfidence: MIN_DETECTOR_SCORE, skipFrames: 0, skipTime: 0, return: false },
      mesh: { enabled: true, modelPath: 'facemesh.json' },
      attention: { enabled: false },
      iris: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
  };
}

function at(mesh: FaceResult['mesh'], i: number): Point {
  const p = mesh[i];
  if (!p) throw new Error(`Face mesh has no landmark ${i}`);
  return { x: p[0], y: p[1] };
}

function mean(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

export function fivePointsFromMesh(mesh: FaceResult['mesh']): FivePoints {
  return {
    leftEye: mean(at(mesh, MESH.imageLeftEye[0]), at(mesh, MESH.imageLeftEye[1])),
    rightEye: mean(at(mesh, MESH.imageRightEye[0]), at(mesh, MESH.imageRightEye[1])),
    nose: at(mesh, MESH.nose),
    mouthLeft: at(mesh, MESH.mouthLeft),
    mouthRight: at(mesh, MESH.mouthRight),
  };
}

/**
 * In a live video, blazeface looks for new faces at least this often, and after this many frames,
 * whichever comes first; between, the mesh follows the faces it has. A person walking in is found
 * within about a quarter of a second. At 15 frames / 500 ms the crossing bench showed 0.69 faces a frame
 * where full detection saw 1.02 (people walking in went unseen for half a second). At the camera's 30 fps
 * the 250 ms decides (every eighth frame, ~3 ms a frame for blazeface's ~25 ms); the frame count only
 * matters above 32 fps. At 5 frames (every sixth frame) the crossing clip in the app ran 26.5-29.5
 * labelled fps, at 8 frames 28.9-30.0 (2026-12-05, 15 s of the app, alternating runs).
 */
export const LIVE_REDETECT_MS = 250;
export const LIVE_REDETECT_FRAMES = 8;

/**
 * How an image is looked at.
 * - `photo`: a photo or an enrollment capture: blazeface with rotation correction, then the mesh; a photo
 *   with no face, or only doubtful ones, gets the PHOTO_RETRIES.
 * - `video`: a frame of a live video. The mesh follows each face from the box of its last mesh (centred
 *   on it, blazeface's size), so blazeface looks for faces only every LIVE_REDETECT_FRAMES frames or
 *   LIVE_REDETECT_MS, or once every face is lost. On a moving scene this is most of the saving:
 *   blazeface costs ~25 ms a run on wasm here, the mesh ~5 ms a face (Node, 2026-12-04).
 * - `every-frame`: blazeface and the mesh on every frame, nothing carried over (the benchmark's baseline).
 */
export type DetectionMode = 'photo' | 'video' | 'every-frame';

/**
 * Human re-runs blazeface whenever the whole picture changed more than its `cacheSensitivity` (the mean
 * squared difference of the values over 255, at most 255). A camera that moves, or a person walking
 * past, changes it on every frame, so blazeface ran on every frame of any moving scene (a 2026-12-04
 * bench: 40 ms of detection in a 48 ms frame). A face that moves is followed by the mesh all the same,
 * so in `video` mode the test is set past its largest value: only the frame count and time decide.
 */
const FOLLOW_THROUGH_ANY_CHANGE = 256;

/**
 * Blazeface runs in this thread. Human keeps each model once per page (module state), shared by every
 * Human instance: a second detector (a model switch, the bench's engines) wrapped the same model again,
 * and each then counted every instance's runs. One wrapper counts them all; each detector counts the
 * runs inside its own detections.
 */
let blazefaceCallsHere = 0;
const counted = new WeakSet<object>();

function countBlazefaceCalls(human: HumanInstance): void {
  const model = human.models.models.blazeface;
  if (!model || counted.has(model)) return;
  counted.add(model);
  const execute = model.execute.bind(model);
  model.execute = (...args: Parameters<typeof execute>) => {
    blazefaceCallsHere += 1;
    return execute(...args);
  };
}

export class FaceDetector {
  private spoofLoaded = false;
  private blazefaceCalls = 0;
  /**
   * Whether Human's remembered faces come from the last live frame. A photo or capture detection
   * replaces them with faces in that image's pixels (a capture reads the full-size frame, the live view
   * a 320-px copy): following those into the next live frame would put the mesh in the wrong places.
   */
  private followingVideo = false;

  private constructor(private readonly human: HumanInstance) {
    countBlazefaceCalls(human);
  }

  /**
   * The next live frame looks afresh, as after a photo. Human keeps the faces it follows per page, not per
   * instance: the bench's pipelines take turns on one page, and each turn would otherwise follow the
   * faces another pipeline last saw, in another frame.
   */
  lookAfresh(): void {
    this.followingVideo = false;
  }

  /** How many times blazeface has run (each detection that did not follow faces with the mesh alone). */
  get blazefaceRuns(): number {
    return this.blazefaceCalls;
  }

  get canCheckSpoof(): boolean {
    return this.spoofLoaded;
  }

  /**
   * Runs the face mesh once on a blank input. A warm-up on a blank frame finds no face, so the mesh would
   * otherwise pay its first run (measured ~0.45 s on wasm) on the first real face: the first label.
   */
  warmUpMesh(): void {
    const mesh = this.human.models.models.facemesh;
    const shape = mesh?.inputs[0]?.shape;
    if (!mesh || !shape) return;
    const input = tf.zeros(shape.map((d) => (d > 0 ? d : 1)));
    try {
      tf.dispose(mesh.execute(input));
    } finally {
      input.dispose();
    }
  }

  /** Loads Human's antispoof and liveness (their files must have been verified first). */
  async loadSpoofCheck(): Promise<void> {
    if (this.spoofLoaded) return;
    await this.human.load({ face: { antispoof: { enabled: true }, liveness: { enabled: true } } });
    const missing = SPOOF_MODELS.filter((m) => !this.human.models.loaded().includes(m));
    if (missing.length > 0) throw new Error(`Anti-spoofing models did not load: ${missing.join(', ')}`);
    this.spoofLoaded = true;
  }

  /** Builds Human on the already-started backend; blazeface and facemesh must have been verified first. */
  static async create(backend: BackendName, wasmBase: string): Promise<FaceDetector> {
    const human = new HumanClass(detectorConfig(backend, wasmBase));
    await human.load();
    const missing = ['blazeface', 'facemesh'].filter((m) => !human.models.loaded().includes(m));
    // Human logs load errors instead of throwing; an unloaded model must not pass as "ready".
    if (missing.length > 0) throw new Error(`Face detector models did not load: ${missing.join(', ')}`);
    return new FaceDetector(human);
  }

  /**
   * @param mode see DetectionMode. Human keeps a per-call config, so every value it depends on is set
   * on every call. A photo (or capture) whose best face is doubtful gets a second look zoomed out
   * (domain/second-look.ts); one with no face at all gets the PHOTO_RETRIES.
   */
  async detect(input: Parameters<HumanInstance['detect']>[0], mode: DetectionMode = 'photo', humanSpoof = false): Promise<DetectedFace[]> {
    const found = await this.detectOnce(input, mode, humanSpoof);
    if (mode !== 'photo' || !(input instanceof tf.Tensor) || input.rank !== 4) return found;
    if (found.length > 0) return withSecondLook(found, () => this.detectRetry(input as tf.Tensor4D, 'zoomed-out', humanSpoof));
    for (const retry of PHOTO_RETRIES) {
      const faces = await this.detectRetry(input as tf.Tensor4D, retry, humanSpoof);
      if (faces.length > 0) return faces;
    }
    return [];
  }

  /** Detection on one retry view of a photo, in the photo's own pixels. */
  async detectRetry(image: tf.Tensor4D, retry: PhotoRetry, humanSpoof = false): Promise<DetectedFace[]> {
    const { view, back } = retryView(image, retry);
    try {
      return (await this.detectOnce(view, 'photo', humanSpoof)).map(back);
    } finally {
      view.dispose();
    }
  }

  private async detectOnce(input: Parameters<HumanInstance['detect']>[0], mode: DetectionMode, humanSpoof: boolean): Promise<DetectedFace[]> {
    // The first live frame after a photo (or a full detection) looks afresh; the ones after it follow.
    const follow = mode === 'video' && this.followingVideo;
    this.followingVideo = mode === 'video';
    const skip = follow ? { skipFrames: LIVE_REDETECT_FRAMES, skipTime: LIVE_REDETECT_MS } : { skipFrames: 0, skipTime: 0 };
    if (humanSpoof && !this.spoofLoaded) throw new Error("Human's anti-spoofing was asked for before its models were loaded");
    // In a live video Human re-scores a face every few frames; a capture is always scored afresh.
    const check = { enabled: humanSpoof, ...skip };
    // Rotation correction (~1.6 ms a face on wasm here) is for photos: a live face is near upright, and
    // the warp aligns on the mesh's five points either way. Sensitivity 0 skips Human's frame diff.
    const callsBefore = blazefaceCallsHere;
    const result = await this.human.detect(input, {
      cacheSensitivity: follow ? FOLLOW_THROUGH_ANY_CHANGE : 0,
      face: { detector: { ...skip, rotation: mode === 'photo' }, antispoof: check, liveness: check },
    });
    this.blazefaceCalls += blazefaceCallsHere - callsBefore;
    if ('error' in result && result.error) throw new Error(`Face detection failed: ${result.error}`);
    return result.face
      .filter((f) => f.mesh.length >= 468)
      .map((f) => ({
        box: pixelBox(f.box[0], f.box[1], f.box[2], f.box[3]),
        // Both stages must agree: a real face scores high on the detector box and on the mesh; the
        // phantom "faces" blazeface finds in hair or background score low on at least one.
        score: Math.min(f.boxScore ?? f.score, f.faceScore ?? f.score),
        points: fivePointsFromMesh(f.mesh),
        yaw: f.rotation?.angle.yaw ?? 0,
        pitch: f.rotation?.angle.pitch ?? 0,
        ...(humanSpoof ? { humanSpoof: { real: f.real ?? 0, live: f.live ?? 0 } } : {}),
      }));
  }
}
