// The inference side of Visage: models, tracking and matching, answering the page's requests. Runs in
// the inference worker, or on the page itself where workers cannot run the models.
// Over 300 lines because it is the one place where a request meets the models: each method is one
// request kind of protocol.ts; what they use (tracking, detection, capture, matching) lives elsewhere.
import { startVisionStack, type VisionStack } from '../inference/vision-stack.ts';
import { ReplayCheck } from '../inference/replay-check.ts';
import { canvasCodec, type ImageCodec } from '../inference/image-codec.ts';
import { modelSource, type ModelFileSource } from '../inference/verified-model-files.ts';
import type { LiveViewFiles } from '../inference/live-view-files.ts';
import { SpoofVotes } from '../domain/anti-spoofing.ts';
import { simdBestDots } from '../inference/matcher/simd-matcher.ts';
import type { LoadProgress } from '../inference/verified-model-files.ts';
import type { EmbedderId } from '../domain/embedder-specs.ts';
import { FaceAnalyzer, type AnalyzedFace } from '../inference/face-analyzer.ts';
import { loadEmbedder } from '../inference/embedders/load-embedder.ts';
import { findModel } from '../domain/model-manifest.ts';
import { backendsToMeasure, fastestBackend, rememberedBackend, type BackendName } from '../domain/backend-choice.ts';
import { webglRenderer } from '../inference/gpu-renderer.ts';
import type { Embedding } from '../domain/embedding.ts';
import { fivePointsIn, scaleBox, scaleFivePoints, shrinkStep, suppressOverlaps } from '../domain/geometry.ts';
import { cropsArea } from '../inference/face-embedding.ts';
import { STORED_FACE_JPEG_QUALITY, storedFaceJpeg } from '../inference/stored-face.ts';
import { liveFrameMs, tensorCount, watchWebglContext } from '../inference/backend-timing.ts';
import { FramePixels, frameHeight, frameWidth, tensorOf, type FrameImage, type FrameRgb } from '../inference/frame-pixels.ts';
import type { DetectedFace, DetectionMode } from '../inference/face-detector.ts';
import { greyThumbnail, meanAbsDifference } from '../domain/motion.ts';
import { decideIdentity, Gallery, type GalleryParts, type MatchPolicy } from '../domain/matching.ts';
import { FaceTracker } from '../domain/face-tracking.ts';
import { WEBGL_LOST, type Answers, type CapturedSample, type EngineInfo, type RecognizedFace, type Request } from './protocol.ts';
import type { Personalisation } from '../inference/personalisation.ts';

/** Frames arrive as VideoFrames (camera) or ImageBitmaps (photos), transferred or handed over. */
export type Frame = FrameImage;

/**
 * The detector keeps candidates down to score 0.2 (so hard faces in photos are found), but in the live
 * view a weak candidate is more often a patch of background than a face: labelling it "Not in database"
 * would be noise. The live view shows faces from 0.5, Human's usual display threshold.
 */
export const LIVE_MIN_FACE_SCORE = 0.5;

const toDegrees = (rad: number) => (rad * 180) / Math.PI;

/**
 * Live frames are detected on a copy this wide (half of VGA): blazeface looks at 256×256 anyway, and the
 * mesh finds the five points to within a pixel; reading a quarter of the pixels is most of the saving.
 * Embeddings are always computed from the full frame.
 */
export const DETECTION_WIDTH = 320;

/**
 * Photos (and captures) whose longer side exceeds this are detected on a copy shrunk by a whole step to
 * fit. A 48-megapixel phone photo taken whole kept the worker busy for over 2 minutes (Chromium here; it
 * was restarted as stuck). Blazeface looks at 256 px and the mesh at 192 px per face anyway; embeddings
 * and stored faces still come from the full-size pixels.
 */
export const PHOTO_DETECTION_MAX_SIDE = 2048;

/** A live frame's detection copy (4:3), for timing a backend. */
const LIVE_FRAME: [number, number] = [240, DETECTION_WIDTH];

/** Grey thumbnail blocks (pixels of the detection copy) for the stillness test. */
const STILL_BLOCK = 8;
/**
 * Below this mean change of the thumbnail's grey levels (0-255) since the last detection, nothing has
 * moved: the frame reuses that detection. Measured on the benchmark clips: a person sitting still with
 * sensor noise scores 0.6-4.5; a head moving by 6 px a frame scores 3-16.
 */
export const STILL_BELOW = 4;
/** However still the picture, faces are re-detected at least this often. */
export const STILL_REUSE_MS = 250;

/**
 * Faces embedded in one live frame (the most urgent; the rest wait for the next frame), none in a frame
 * where blazeface ran. On the crossing clip in the app (2 cores), blazeface made a frame 33–43 ms and each
 * embedding added ~20: frames that carried both, or two embeddings, took 60–120 ms and lost the camera's
 * next frames. A face with no name yet is embedded whatever the frame while no face shows a name.
 */
export const EMBEDDINGS_A_FRAME = 1;
export const EMBEDDINGS_AFTER_BLAZEFACE = 0;

function scaled<T extends DetectedFace>(face: T, factor: number): T {
  return factor === 1 ? face : { ...face, box: scaleBox(face.box, factor), points: scaleFivePoints(face.points, factor) };
}

export class VisionEngine {
  private readonly tracker = new FaceTracker();
  private readonly pixels = new FramePixels();
  /** The faces found at the last detection, with the picture they were found in. */
  private lastDetection: { thumb: Float32Array; faces: DetectedFace[]; at: number } | null = null;
  /** Frames that reused a detection because nothing moved (for the benchmark). */
  stillFrames = 0;
  /**
   * Carry faces over from frame to frame: a still picture's detection is reused, and the mesh follows
   * each face with blazeface only now and then (DetectionMode `video`). Off only to benchmark every stage
   * on every frame.
   */
  trackFaces = true;
  /**
   * Milliseconds spent per stage of the live path since the bench last zeroed them: reading pixels,
   * detection (blazeface and mesh, inside Human), embedding (warp and model), matching.
   */
  readonly stageMs = { pixels: 0, detection: 0, embedding: 0, matching: 0 };
  /**
   * The next live frame's detection runs blazeface rather than following the faces Human last saw, which
   * are per page, not per engine (the bench's turns). This engine's own stillness test still holds.
   */
  lookAfresh(): void {
    this.stack.detector.lookAfresh();
  }

  /** How many times blazeface has run (the rest of the frames followed faces with the mesh alone). */
  get blazefaceRuns(): number {
    return this.stack.detector.blazefaceRuns;
  }
  private gallery: Gallery | null = null;
  private policy: MatchPolicy | null = null;
  private personalisation: Personalisation | null = null;
  private readonly spoofVotes = new SpoofVotes();

  private constructor(
    private readonly source: ModelFileSource,
    private readonly stack: VisionStack,
    private readonly timings: Partial<Record<BackendName, number>>,
    private readonly choice: EngineInfo['choice'],
    private readonly codec: ImageCodec,
  ) {}

  /**
   * Loads the models on `backend`, or, when none is given and the GPU is real hardware, on WebGL and on
   * wasm in turn, times a live frame on each, and keeps the faster (the page remembers the choice).
   */
  /**
   * @param files the live view's model files when the caller has started reading them already (the
   *   worker does, before this module has loaded); read here otherwise.
   * @param io where model files come from (the models URL by default) and the image codec (a canvas by
   *   default): the unit tests give a folder on disk and a pure-JS JPEG codec.
   */
  static async start(
    request: Extract<Request, { kind: 'start' }>,
    onProgress: (p: LoadProgress) => void,
    files?: Promise<LiveViewFiles>,
    io: { source?: ModelFileSource; codec?: ImageCodec } = {},
  ): Promise<VisionEngine> {
    const { modelsUrl, modelId } = request;
    const source = io.source ?? modelSource(modelsUrl);
    // Asked once: the first WebGL context of a page costs ~0.4 s here (the GPU process starts).
    const renderer = webglRenderer();
    const rendererAt = Math.round(performance.now());
    const remembered = request.backend || !request.remembered ? null : rememberedBackend(request.remembered.stored, request.remembered.build, renderer);
    const backend = request.backend ?? remembered?.backend;
    const open = (b: BackendName | undefined) => startVisionStack({ source, modelsUrl, onProgress, embedder: modelId, skipWarmUp: true, renderer, ...(files ? { files } : {}), ...(b ? { backend: b } : {}) });
    // A remembered choice shows the timings it was made from.
    const timings: Partial<Record<BackendName, number>> = remembered ? { ...remembered.timings } : {};
    const candidates = backend ? [] : backendsToMeasure(renderer);
    for (const candidate of candidates) {
      try {
        const trial = await open(candidate);
        timings[candidate] = trial.backend.backend === candidate ? await liveFrameMs(trial, LIVE_FRAME, 3) : Number.NaN;
        // The detector's models stay on the unused backend until the page closes: a few MB, once.
        trial.analyzer?.embedder.dispose();
      } catch {
        timings[candidate] = Number.NaN;
      }
    }
    const stack = await open(backend ?? fastestBackend(timings) ?? undefined);
    // A backend timed above is warm already; otherwise warm up (no timing needed: nothing to compare).
    performance.mark('visage:warm-up-start');
    if (remembered || timings[stack.backend.backend] === undefined) await liveFrameMs(stack, LIVE_FRAME, 0);
    performance.mark('visage:warm-up-end');
    Object.assign(stack.startupMs, { script: request.scriptAt, renderer: rendererAt, 'warm-up': Math.round(performance.now()) });
    // A remembered backend that no longer starts (tfjs fell back) is not reported as the measured choice.
    const kept = remembered?.backend === stack.backend.backend;
    const choice = candidates.length > 1 || kept ? 'measured' : request.backend ? 'given' : 'preference';
    const engine = new VisionEngine(source, stack, timings, choice, io.codec ?? canvasCodec);
    engine.watchWebgl();
    return engine;
  }

  /** Set when the GPU dropped our WebGL context (driver reset, GPU process crash, too many contexts). */
  private webglLost = false;
  private readonly lostListeners: (() => void)[] = [];

  onWebglLost(listener: () => void): void {
    this.lostListeners.push(listener);
  }

  /**
   * On WebGL, a lost context makes every later tfjs call fail or return garbage: note it, so each request
   * fails with WEBGL_LOST and the client starts again on wasm.
   */
  private watchWebgl(): void {
    if (this.stack.backend.backend !== 'webgl') return;
    watchWebglContext(() => {
      this.webglLost = true;
      for (const l of this.lostListeners) l();
    });
  }

  /** Throws when the WebGL context is gone (see watchWebgl). */
  assertBackendAlive(): void {
    if (this.webglLost) throw new Error(`${WEBGL_LOST}: switching to WebAssembly`);
  }

  private get analyzer() {
    const a = this.stack.analyzer;
    if (!a) throw new Error('No embedder loaded');
    return a;
  }

  get info(): EngineInfo {
    const modelId = this.analyzer.modelId as EmbedderId;
    const c = this.stack.manifest.models.find((m) => m.id === modelId)?.calibration;
    return {
      backend: this.stack.backend.backend,
      renderer: this.stack.backend.renderer,
      verifiedBytes: this.stack.verifiedBytes,
      modelId,
      calibrated: c ? { threshold: c.threshold, minMargin: c.minMargin } : null,
      timings: this.timings,
      choice: this.choice,
      startupMs: this.stack.startupMs,
    };
  }

  setGallery(parts: GalleryParts, policy: MatchPolicy): null {
    this.gallery = Gallery.fromParts(parts, simdBestDots);
    this.policy = policy;
    this.tracker.invalidate();
    return null;
  }

  /** The replay check, verified and loaded on first use (it is not needed to start). */
  private replayCheck: Promise<ReplayCheck> | null = null;

  private async spoofCheck(wanted: boolean): Promise<ReplayCheck | undefined> {
    if (!wanted) return undefined;
    this.replayCheck ??= ReplayCheck.load(this.stack.manifest, this.source).catch((e: unknown) => {
      this.replayCheck = null; // a failed load is tried again on the next request
      throw e;
    });
    return this.replayCheck;
  }

  /** Live faces of a frame, found on the detection-size copy, in full-frame pixels. */
  private async liveFaces(frame: Frame, spoof?: ReplayCheck): Promise<DetectedFace[]> {
    const t0 = performance.now();
    const pixels = await this.pixels.read(frame, DETECTION_WIDTH);
    const now = performance.now();
    this.stageMs.pixels += now - t0;
    const detect = async (mode: DetectionMode) => {
      const faces = await this.facesIn(pixels, mode, spoof);
      this.stageMs.detection += performance.now() - now;
      return faces;
    };
    // Nothing carried over: no stillness test either.
    if (!this.trackFaces) return detect('every-frame');
    const thumb = greyThumbnail(pixels.rgb, pixels.width, pixels.height, STILL_BLOCK);
    const previous = this.lastDetection;
    // A detection without spoof scores cannot stand in for one that needs them.
    const scored = !spoof || previous?.faces.every((f) => f.spoof);
    if (previous && scored && now - previous.at < STILL_REUSE_MS && meanAbsDifference(thumb, previous.thumb) < STILL_BELOW) {
      this.stillFrames += 1;
      return previous.faces;
    }
    const faces = await detect('video');
    this.lastDetection = { thumb, faces, at: now };
    return faces;
  }

  /**
   * The faces detected in these pixels that are shown or offered, in the frame's own pixels (undoing the
   * copy's step). Candidates below the live view's score are the detector's phantoms (a patch of hair
   * scores 0.3-0.4 on the sample clip): they would count as "another face in view" and could never pass
   * the enrollment gates.
   */
  private async facesIn(pixels: FrameRgb, mode: DetectionMode, spoof: ReplayCheck | undefined): Promise<DetectedFace[]> {
    const image = tensorOf(pixels);
    try {
      const found = await this.analyzer.detect(image, mode, spoof);
      return suppressOverlaps(found.filter((f) => f.score >= LIVE_MIN_FACE_SCORE)).map((f) => scaled(f, pixels.step));
    } finally {
      image.dispose();
    }
  }

  /**
   * Embeddings of faces already found in this frame, from the full-size pixels their aligned crops can see
   * (the same embeddings as from the whole frame). Converting the whole frame cost 17–25 ms here at
   * 640×480 and grows with the camera (a 1280×720 one is 3× that); a face's crop sees a fraction of it.
   */
  private async embedFaces(frame: Frame, faces: readonly DetectedFace[]): Promise<AnalyzedFace[]> {
    if (faces.length === 0) return [];
    const [width, height] = [frameWidth(frame), frameHeight(frame)];
    const area = cropsArea(this.analyzer.embedder, faces.map((f) => f.points), width, height) ?? { x: 0, y: 0, width, height };
    const t0 = performance.now();
    const image = tensorOf(await this.pixels.readArea(frame, area));
    const t1 = performance.now();
    this.stageMs.pixels += t1 - t0;
    try {
      const embedded = await this.analyzer.embedDetected(image, faces.map((f) => ({ ...f, points: fivePointsIn(f.points, area.x, area.y) })));
      this.stageMs.embedding += performance.now() - t1;
      return faces.map((f, i) => ({ ...f, embedding: embedded[i]?.embedding ?? null }));
    } finally {
      image.dispose();
    }
  }

  /** Every live face in the frame, each with its embedding when `embed` is set. */
  async analyze(frame: Frame, embed: boolean): Promise<Answers['analyze']> {
    const faces = await this.liveFaces(frame);
    return { width: frameWidth(frame), height: frameHeight(frame), faces: embed ? await this.embedFaces(frame, faces) : faces.map((f) => ({ ...f, embedding: null })) };
  }

  /**
   * Every live face, tracked: detection runs on every frame, the embedding only for faces whose name can
   * change (new, moved a lot, in doubt, or due for a check), and each track's name is voted by the tracker.
   */
  async recognize(frame: Frame, now: number, spoof = false): Promise<Answers['recognize']> {
    const start = performance.now();
    const blazefaceBefore = this.blazefaceRuns;
    const found = await this.liveFaces(frame, await this.spoofCheck(spoof));
    const steps = this.tracker.observe(found, now, this.blazefaceRuns > blazefaceBefore ? EMBEDDINGS_AFTER_BLAZEFACE : EMBEDDINGS_A_FRAME);
    const due = steps.filter((s) => s.embed);
    const embedded = await this.embedFaces(frame, due.map((s) => s.face));
    const matchStart = performance.now();
    due.forEach((step, i) => {
      const embedding = embedded[i]?.embedding;
      if (embedding && this.gallery && this.policy && embedding.modelId === this.gallery.modelId) {
        this.tracker.decide(step.trackId, decideIdentity(this.gallery.nearestTwo(embedding), this.policy));
      }
    });
    this.stageMs.matching += performance.now() - matchStart;
    const faces: RecognizedFace[] = steps
      .filter((s) => s.shown)
      .map((s): RecognizedFace => {
        const face: RecognizedFace = { trackId: s.trackId, box: s.face.box, identity: this.tracker.identity(s.trackId), embedded: s.embed };
        return s.face.spoof ? { ...face, photo: this.spoofVotes.observe(s.trackId, s.face.spoof) } : face;
      });
    if (spoof) this.spoofVotes.keepOnly(new Set(steps.map((s) => s.trackId)));
    return { width: frameWidth(frame), height: frameHeight(frame), faces, computeMs: performance.now() - start, tensors: tensorCount() };
  }

  /** Every face in the frame as an enrollment candidate (the page gates them and lets the user pick). */
  async capture(frame: Frame, spoof = false): Promise<CapturedSample[]> {
    const [width, height] = [frameWidth(frame), frameHeight(frame)];
    const faces = await this.photoFaces(frame, await this.spoofCheck(spoof));
    const out: CapturedSample[] = [];
    for (const face of faces) {
      // Each face from the full-size pixels its crops see: a 48-megapixel photo is never one tensor.
      const area = this.analyzer.captureArea(face.points, width, height);
      if (!area) continue;
      const image = tensorOf(await this.pixels.readArea(frame, area));
      try {
        const [c] = await this.analyzer.captureDetected(image, [{ ...face, points: fivePointsIn(face.points, area.x, area.y) }]);
        if (!c) continue;
        try {
          // Plain data only: the stored face is a tensor, which cannot cross to the page.
          const { box, score, points, yaw, pitch } = face;
          out.push({
            face: { box, score, points, yaw, pitch, ...(face.spoof ? { spoof: face.spoof } : {}) },
            embedding: c.embedding,
            thumbnail: await storedFaceJpeg(c.storedFace, (rgba, width, height) => this.codec.encodeJpeg({ rgba, width, height }, STORED_FACE_JPEG_QUALITY)),
            quality: {
              faceCount: faces.length,
              faceSize: Math.min(box.width, box.height),
              yawDeg: toDegrees(yaw),
              pitchDeg: toDegrees(pitch),
              sharpness: c.sharpness,
              detectorScore: score,
            },
          });
        } finally {
          c.storedFace.dispose();
        }
      } finally {
        image.dispose();
      }
    }
    return out;
  }

  /**
   * Every face of a photo or capture, in its own pixels. Photos larger than PHOTO_DETECTION_MAX_SIDE are
   * looked through on a smaller copy (with every retry a photo gets), so detection costs no more than
   * for a 4-megapixel photo.
   */
  private async photoFaces(frame: Frame, spoof?: ReplayCheck): Promise<DetectedFace[]> {
    const step = shrinkStep(frameWidth(frame), frameHeight(frame), PHOTO_DETECTION_MAX_SIDE);
    return this.facesIn(await this.pixels.read(frame, step > 1 ? frameWidth(frame) / step : undefined), 'photo', spoof);
  }

  /** Starts training a personal head; the trainer (and tfjs's gradients) load only now, on request. */
  async startPersonalisation(parts: GalleryParts, policy: MatchPolicy): Promise<Answers['personalise-start']> {
    this.personalisation?.dispose();
    this.personalisation = null;
    const { Personalisation: Run } = await import('../inference/personalisation.ts');
    const samples = Gallery.fromParts({ ...parts, head: null }).samples();
    this.personalisation = new Run(parts.modelId, parts.dims, samples, policy);
    return this.personalisation.advance(0);
  }

  advancePersonalisation(steps: number): Answers['personalise-advance'] {
    const run = this.personalisation;
    if (!run) throw new Error('No personalisation is running');
    const progress = run.advance(steps);
    const result = progress.phase === 'finished' ? run.result() : null;
    if (progress.phase === 'finished') {
      run.dispose();
      this.personalisation = null;
    }
    return { ...progress, result };
  }

  cancelPersonalisation(): null {
    this.personalisation?.dispose();
    this.personalisation = null;
    return null;
  }

  /** Another model's analyzer, for re-embedding only; one at a time, loaded on first use. */
  private other: { id: EmbedderId; analyzer: Promise<FaceAnalyzer> } | null = null;

  private analyzerFor(modelId: EmbedderId | undefined): Promise<FaceAnalyzer> | FaceAnalyzer {
    if (!modelId || modelId === this.analyzer.modelId) return this.analyzer;
    if (this.other?.id !== modelId) {
      const previous = this.other;
      void previous?.analyzer.then((a) => a.embedder.dispose(), () => undefined);
      const { manifest } = this.stack;
      const analyzer = loadEmbedder(modelId, manifest, this.source).then((e) => new FaceAnalyzer(this.stack.detector, e, findModel(manifest, modelId).calibration?.flip ?? false));
      this.other = { id: modelId, analyzer };
      analyzer.catch(() => {
        if (this.other?.analyzer === analyzer) this.other = null;
      });
    }
    return this.other.analyzer;
  }

  /** Re-embeds an enrolled sample's stored face with the active model, or with `modelId` (model switch). */
  async embedStored(face: Blob, modelId?: EmbedderId): Promise<Embedding> {
    const analyzer = await this.analyzerFor(modelId);
    return analyzer.embedStoredImage(await this.codec.decode(face));
  }
}

/** One request (other than start) answered by an engine: the same dispatch in the worker and on the page. */
export function answerRequest(engine: VisionEngine, request: Exclude<Request, { kind: 'start' }>): Promise<Answers[keyof Answers]> | Answers[keyof Answers] {
  engine.assertBackendAlive();
  switch (request.kind) {
    case 'analyze': return engine.analyze(request.frame, request.embed);
    case 'recognize': return engine.recognize(request.frame, request.now, request.spoof);
    case 'capture': return engine.capture(request.frame, request.spoof);
    case 'embed-stored': return engine.embedStored(request.face, request.modelId);
    case 'set-gallery': return engine.setGallery(request.gallery, request.policy);
    case 'personalise-start': return engine.startPersonalisation(request.samples, request.policy);
    case 'personalise-advance': return engine.advancePersonalisation(request.steps);
    case 'personalise-cancel': return engine.cancelPersonalisation();
  }
}
