// The UI's only door to inference. Runs the models in a Web Worker (frames go over as transferred
// ImageBitmaps; the page only draws), with a timeout per request, abort, and a restart when the worker
// dies. Where a worker cannot run them (no OffscreenCanvas), it runs them on the page and says so.
// Over 300 lines because it owns the worker's whole life (lazy start, queue, timeouts, abort, restarts,
// page fallback, the terminal state) behind one API; the protocol and the queue are their own files.
import type { BackendName, RememberedBackend } from '../domain/backend-choice.ts';
import type { Embedding } from '../domain/embedding.ts';
import type { Gallery, MatchPolicy } from '../domain/matching.ts';
import type { EmbedderId } from '../domain/embedder-specs.ts';
import type { LoadProgress } from '../inference/verified-model-files.ts';
import type { VisionEngine, answerRequest as AnswerRequest } from './vision-engine.ts';
import type { FrameImage } from '../inference/frame-pixels.ts';
import type { PersonalisationProgress, PersonalisationResult } from '../inference/personalisation.ts';
import { framesOf, PROTOCOL_VERSION, WEBGL_LOST, type Answers, type CapturedSample, type EngineInfo, type ReplyMessage, type Request } from './protocol.ts';
import { RequestQueue } from './request-queue.ts';


export interface VisionInfo extends EngineInfo {
  /** Where inference runs, shown in the status line. */
  thread: 'worker' | 'main';
  /** Why it runs on the page, when it does. */
  threadNote: string | null;
  /** Times the worker died and was restarted. */
  restarts: number;
}

export type FrameSource = HTMLVideoElement | ImageBitmap | HTMLCanvasElement | HTMLImageElement;

/** How long each kind of request may take before the worker is presumed stuck and restarted. */
const TIMEOUT_MS: Record<Request['kind'], number> = {
  start: 180_000,
  analyze: 20_000,
  recognize: 20_000,
  capture: 30_000,
  'embed-stored': 30_000,
  'set-gallery': 10_000,
  'personalise-start': 30_000,
  // A few training steps; a large gallery (hundreds of samples) takes about a second per ten steps.
  'personalise-advance': 60_000,
  'personalise-cancel': 10_000,
};

/** Training steps per round trip: small enough for progress and a prompt cancel. */
const STEPS_PER_ADVANCE = 10;

/** The worker itself failed (crashed, stuck, unloadable), as opposed to a request it answered with an error. */
export class WorkerDiedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerDiedError';
  }
}

export class InferenceAbortedError extends Error {
  constructor() {
    super('The request was aborted');
    this.name = 'AbortError';
  }
}

/** Runs requests somewhere: in the worker, or on the page. */
interface Runner {
  run<K extends Request['kind']>(request: Extract<Request, { kind: K }>, signal?: AbortSignal, onProgress?: (p: LoadProgress) => void): Promise<Answers[K]>;
  close(): void;
}

interface Pending {
  resolve: (value: never) => void;
  reject: (e: Error) => void;
  onProgress: ((p: LoadProgress) => void) | undefined;
  timer: ReturnType<typeof setTimeout>;
}

/** One worker; on death or a stuck request it rejects everything pending and calls onDeath once. */
class WorkerRunner implements Runner {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead = false;

  constructor(private readonly onDeath: (reason: string) => void) {
    this.worker = new Worker(new URL('./vision-worker.ts', import.meta.url), { type: 'module', name: 'visage-inference' });
    this.worker.addEventListener('message', (e: MessageEvent<ReplyMessage>) => this.receive(e.data));
    this.worker.addEventListener('error', (e) => this.die(`the inference worker crashed${e.message ? `: ${e.message}` : ''}`));
    this.worker.addEventListener('messageerror', () => this.die('the inference worker sent an unreadable message'));
  }

  run<K extends Request['kind']>(request: Extract<Request, { kind: K }>, signal?: AbortSignal, onProgress?: (p: LoadProgress) => void): Promise<Answers[K]> {
    const frames = framesOf(request);
    if (this.dead || signal?.aborted) {
      for (const f of frames) f.close();
      return Promise.reject(this.dead ? new WorkerDiedError('The inference worker stopped') : new InferenceAbortedError());
    }
    const id = this.nextId++;
    return new Promise<Answers[K]>((resolve, reject) => {
      const timer = setTimeout(() => this.die(`the inference worker did not answer ${request.kind} within ${TIMEOUT_MS[request.kind] / 1000} s`), TIMEOUT_MS[request.kind]);
      this.pending.set(id, { resolve, reject, onProgress, timer });
      signal?.addEventListener('abort', () => {
        // The worker finishes the frame anyway (one in flight); its late answer is dropped.
        if (this.settle(id)) reject(new InferenceAbortedError());
      }, { once: true });
      // Transferred, not copied: the frames now belong to the worker, which closes them.
      try {
        this.worker.postMessage({ v: PROTOCOL_VERSION, id, ...request }, frames);
      } catch (e) {
        // Not sent (a detached or uncloneable frame): nothing will answer, so the timeout must not
        // restart a healthy worker.
        this.settle(id);
        for (const f of frames) f.close();
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (p) {
      clearTimeout(p.timer);
      this.pending.delete(id);
    }
    return p;
  }

  private receive(message: ReplyMessage): void {
    if (message.v !== PROTOCOL_VERSION) return this.die('the inference worker is from another version of Visage');
    if (message.kind === 'progress') return this.pending.get(message.id)?.onProgress?.(message.progress);
    if (message.kind === 'webgl-lost') return this.die(WEBGL_LOST);
    const p = this.settle(message.id);
    if (!p) return;
    if (message.kind === 'done') p.resolve(message.value as never);
    else p.reject(new Error(message.message));
  }

  private die(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    this.worker.terminate();
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new WorkerDiedError(`Inference restarted: ${reason}`));
    this.onDeath(reason);
  }

  close(): void {
    this.dead = true;
    this.worker.terminate();
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new Error('The inference worker was closed'));
  }
}

/** The engine on the page itself (loaded only when needed: it carries its own copy of tfjs). */
class PageRunner implements Runner {
  private engine: VisionEngine | null = null;
  private readonly queue = new RequestQueue();
  private answerRequest: typeof AnswerRequest | null = null;

  async run<K extends Request['kind']>(request: Extract<Request, { kind: K }>, signal?: AbortSignal, onProgress?: (p: LoadProgress) => void): Promise<Answers[K]> {
    try {
      if (signal?.aborted) throw new InferenceAbortedError();
      return (await this.answer(request, onProgress)) as Answers[K];
    } finally {
      for (const f of framesOf(request)) f.close();
    }
  }

  private async answer(request: Request, onProgress?: (p: LoadProgress) => void): Promise<Answers[keyof Answers]> {
    if (request.kind === 'start') {
      const { VisionEngine, answerRequest } = await import('./vision-engine.ts');
      this.engine = await VisionEngine.start(request, onProgress ?? (() => undefined));
      this.answerRequest = answerRequest;
      return this.engine.info;
    }
    const [engine, answerRequest] = [this.engine, this.answerRequest];
    if (!engine || !answerRequest) throw new Error('Inference has not started');
    return this.queue.run(() => answerRequest(engine, request));
  }

  close(): void {
    this.engine = null;
  }
}

/** Why the models cannot run in a worker here, or null when they can. */
function workerObstacle(): string | null {
  if (typeof Worker === 'undefined') return 'this browser has no Web Workers';
  if (typeof OffscreenCanvas === 'undefined') return 'this browser has no OffscreenCanvas for workers';
  if (typeof createImageBitmap === 'undefined') return 'this browser cannot hand video frames to a worker';
  return null;
}

/** Chromium's MediaStreamTrackProcessor (not in TypeScript's DOM types). */
type TrackProcessorClass = new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => { readable: ReadableStream<VideoFrame> };

const frameReaders = new WeakMap<MediaStreamTrack, ReadableStreamDefaultReader<VideoFrame>>();

/**
 * The camera's latest frame as the browser got it (YUV in memory), where MediaStreamTrackProcessor exists;
 * a VideoFrame made from the <video> element would be a GPU texture, slow to read back. Null elsewhere.
 */
async function cameraFrame(video: HTMLVideoElement): Promise<VideoFrame | null> {
  const Processor = (globalThis as { MediaStreamTrackProcessor?: TrackProcessorClass }).MediaStreamTrackProcessor;
  const track = video.srcObject instanceof MediaStream ? video.srcObject.getVideoTracks()[0] : undefined;
  if (!Processor || !track || track.readyState !== 'live' || scaledTracks.has(track)) return null;
  let reader = frameReaders.get(track);
  if (!reader) {
    // One buffered frame: older ones are dropped (and closed) by the browser, so a read is always fresh.
    reader = new Processor({ track, maxBufferSize: 1 }).readable.getReader();
    frameReaders.set(track, reader);
  }
  const { value } = await reader.read();
  if (value && value.codedWidth * value.codedHeight > 2 * value.displayWidth * value.displayHeight) {
    // A track the browser scales (a 4K camera asked for 720p) hands out the camera's full frames:
    // converting one took 870 ms here, against 4 ms for a bitmap of the <video>, which is scaled already.
    value.close();
    scaledTracks.add(track);
    frameReaders.delete(track);
    void reader.cancel().catch(() => undefined);
    return null;
  }
  return value ?? null;
}

/** Tracks whose frames are read from the <video> instead (see cameraFrame). */
const scaledTracks = new WeakSet<MediaStreamTrack>();

const REMEMBERED_KEY = 'visage.backend';

function readRemembered(): unknown {
  try {
    return JSON.parse(localStorage.getItem(REMEMBERED_KEY) ?? 'null');
  } catch {
    return null; // storage off (private mode) or damaged: measure again
  }
}

function writeRemembered(choice: RememberedBackend): void {
  try {
    localStorage.setItem(REMEMBERED_KEY, JSON.stringify(choice));
  } catch {
    // Not remembered: the next start measures again, nothing worse.
  }
}

/** Restarts after which a dying worker is given up for the page. */
const MAX_RESTARTS = 3;

export class VisionClient {
  private runner: Runner;
  private ready: Promise<void> = Promise.resolve();
  private restarts = 0;
  private gallery: { gallery: Gallery; policy: MatchPolicy } | null = null;

  /** Why the backend is not the one chosen at start (a lost WebGL context). */
  private note: string | null = null;

  /** Set once the worker has been restarted MAX_RESTARTS times and died again: this client is done. */
  private stoppedBy: Error | null = null;
  private readonly stopListeners = new Set<(e: Error) => void>();

  /** Calls `listener` (at once, if it has happened) when inference stops for good; returns the unsubscribe. */
  onStopped(listener: (e: Error) => void): () => void {
    if (this.stoppedBy) listener(this.stoppedBy);
    this.stopListeners.add(listener);
    return () => this.stopListeners.delete(listener);
  }

  private constructor(
    private start: Extract<Request, { kind: 'start' }>,
    private engineInfo: EngineInfo,
    runner: Runner,
    private readonly thread: 'worker' | 'main',
    private readonly threadNote: string | null,
  ) {
    this.runner = runner;
  }

  /**
   * @param options.backend the user's override; without it, the backend measured on an earlier start of
   *   this build on this GPU, or a fresh measurement (then remembered).
   * @param options.build this build's id: a new version measures again.
   */
  static async start(modelsUrl: string, modelId: EmbedderId, onProgress: (p: LoadProgress) => void, options: { backend?: BackendName; build: string }): Promise<VisionClient> {
    // The engine checks the remembered choice against its own GPU (see the start request).
    const start: Extract<Request, { kind: 'start' }> = options.backend
      ? { kind: 'start', modelsUrl, modelId, backend: options.backend }
      : { kind: 'start', modelsUrl, modelId, remembered: { build: options.build, stored: readRemembered() } };
    const client = await VisionClient.open(start, onProgress);
    const info = client.engineInfo;
    if (info.choice === 'measured') writeRemembered({ build: options.build, renderer: info.renderer, backend: info.backend, timings: info.timings });
    return client;
  }

  private static async open(start: Extract<Request, { kind: 'start' }>, onProgress: (p: LoadProgress) => void): Promise<VisionClient> {
    let note = workerObstacle();
    if (!note) {
      let client: VisionClient | null = null;
      const runner = new WorkerRunner((reason) => client?.recover(reason));
      try {
        const info = await runner.run(start, undefined, onProgress);
        client = new VisionClient(start, info, runner, 'worker', null);
        return client;
      } catch (e) {
        runner.close();
        // A model the worker refused (missing, corrupt) would fail on the page too: say so, do not retry.
        if (!(e instanceof WorkerDiedError)) throw e;
        note = `the inference worker could not start (${e.message})`;
      }
    }
    const runner = new PageRunner();
    return new VisionClient(start, await runner.run(start, undefined, onProgress), runner, 'main', note);
  }

  get info(): VisionInfo {
    return { ...this.engineInfo, thread: this.thread, threadNote: this.note ?? this.threadNote, restarts: this.restarts };
  }

  /** A new worker with the same models (from the cache by now) and the same gallery. */
  private recover(reason: string): void {
    if (reason.startsWith(WEBGL_LOST)) {
      // The GPU dropped WebGL (reset, crash, too many contexts): the new worker runs on wasm.
      this.start = { ...this.start, backend: 'wasm' };
      this.note = 'WebGL was lost; switched to WebAssembly';
    }
    this.restarts += 1;
    console.warn(`Visage: ${reason}; restarting inference (${this.restarts}/${MAX_RESTARTS})`);
    if (this.restarts > MAX_RESTARTS) {
      const stopped = new Error(`Inference stopped after ${MAX_RESTARTS} restarts: ${reason}. Reload the page.`);
      this.ready = Promise.reject(stopped);
      this.ready.catch(() => undefined);
      this.stoppedBy = stopped;
      for (const l of this.stopListeners) l(stopped);
      return;
    }
    const runner = new WorkerRunner((next) => this.recover(next));
    this.runner = runner;
    this.ready = (async () => {
      this.engineInfo = await runner.run(this.start);
      if (this.gallery) await runner.run({ kind: 'set-gallery', gallery: this.gallery.gallery.toParts(), policy: this.gallery.policy });
    })();
    this.ready.catch(() => undefined);
  }

  private async run<K extends Request['kind']>(request: Extract<Request, { kind: K }>, signal?: AbortSignal): Promise<Answers[K]> {
    try {
      await this.ready;
    } catch (e) {
      for (const f of framesOf(request)) f.close();
      throw e;
    }
    return this.runner.run(request, signal);
  }

  /**
   * The frame as ours to transfer: the camera's own frame where the browser hands them out (read in
   * 1-10 ms in the worker, against 30-70 ms for a bitmap of the <video> there), anything else as an
   * ImageBitmap.
   */
  private static async frame(source: FrameSource): Promise<FrameImage> {
    if (typeof HTMLVideoElement !== 'undefined' && source instanceof HTMLVideoElement) {
      const frame = await cameraFrame(source);
      if (frame) return frame;
    }
    return createImageBitmap(source);
  }

  /** Every live face in the frame, each with its embedding when `embed` is set. */
  async analyze(source: FrameSource, embed: boolean, signal?: AbortSignal): Promise<Answers['analyze']> {
    return this.run({ kind: 'analyze', frame: await VisionClient.frame(source), embed }, signal);
  }

  /** Every live face, tracked and named by the worker from the gallery last set. */
  async recognize(source: FrameSource, signal?: AbortSignal, spoof = false): Promise<Answers['recognize']> {
    return this.run({ kind: 'recognize', frame: await VisionClient.frame(source), now: performance.now(), spoof }, signal);
  }

  /**
   * Every face in the frame as an enrollment candidate (the UI gates them and lets the user pick).
   * @param spoof score each face for anti-spoofing (camera captures; photos are photos by nature).
   */
  async capture(source: FrameSource, spoof = false): Promise<CapturedSample[]> {
    return this.run({ kind: 'capture', frame: await VisionClient.frame(source), spoof });
  }

  /** Re-embeds an enrolled sample's stored face with the active model, or with `modelId` (model switch). */
  embedThumbnail(thumbnail: Blob, modelId?: EmbedderId): Promise<Embedding> {
    return this.run({ kind: 'embed-stored', face: thumbnail, ...(modelId && modelId !== this.info.modelId ? { modelId } : {}) });
  }

  /** The people recognize() names, and the policy it names them by. */
  async setGallery(gallery: Gallery, policy: MatchPolicy): Promise<void> {
    this.gallery = { gallery, policy };
    await this.run({ kind: 'set-gallery', gallery: gallery.toParts(), policy });
  }

  /**
   * Trains a personal head on the gallery's samples (given without a head) and judges it on held-out
   * photos at `policy`. Resolves with the head and its report; rejects with InferenceAbortedError when
   * the signal aborts (the worker drops the training).
   */
  async personalise(gallery: Gallery, policy: MatchPolicy, onProgress: (p: PersonalisationProgress) => void, signal?: AbortSignal): Promise<PersonalisationResult> {
    if (gallery.head) throw new TypeError('Personalise from the plain embeddings, not through a head');
    onProgress(await this.run({ kind: 'personalise-start', samples: gallery.toParts(), policy }));
    try {
      for (;;) {
        if (signal?.aborted) throw new InferenceAbortedError();
        const step = await this.run({ kind: 'personalise-advance', steps: STEPS_PER_ADVANCE });
        onProgress(step);
        if (step.phase === 'finished') {
          if (!step.result) throw new Error('No head could be trained on these samples');
          return step.result;
        }
      }
    } catch (e) {
      await this.run({ kind: 'personalise-cancel' }).catch(() => undefined);
      throw e;
    }
  }

  close(): void {
    this.runner.close();
  }
}
