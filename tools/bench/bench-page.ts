// The benchmark page: grabs frames from the (fake) camera once, then runs on exactly those frames, in
// order, per tfjs backend and per embedder asked for: (a) Visage's engine as the app runs it (tracking,
// embeddings only when needed, detection reused while nothing moves), (b) Visage with every face
// detected and embedded on every frame, (c) Human's own human.detect with face detection + mesh +
// description as users run it (its frame skipping and caching on), and (d) the same with its caching
// off, which is "every stage on every frame" like (b). Reports ms/frame, ms per stage (Visage), tensors
// and heap. The pipelines of a backend run in turns (TimedLoop). Driven by tools/bench.ts; results land
// in window.benchResult.
import * as tf from '@tensorflow/tfjs-core';
import * as HumanModule from '#human';
import type { Human as HumanInstance, Config } from '#human';
import { VisionEngine } from '../../src/worker/vision-engine.ts';
import { Gallery } from '../../src/domain/matching.ts';
import type { BackendName } from '../../src/domain/backend-choice.ts';
import { EMBEDDERS, type EmbedderId } from '../../src/domain/embedder-specs.ts';

export interface RunResult {
  pipeline: 'visage-tracking' | 'visage-every-frame' | 'human' | 'human-uncached';
  backend: BackendName;
  /** Visage's embedder; Human runs its own faceres. */
  model?: EmbedderId;
  /** Visage only: mean ms per frame in each stage of the engine (VisionEngine.stageMs). */
  stageMs?: VisionEngine['stageMs'];
  frames: number;
  p50: number;
  p95: number;
  fps: number;
  tensorsAt10: number | null;
  tensorsAtEnd: number;
  heapAt10: number | null;
  heapAtEnd: number | null;
  /** Heap after gc every 100 frames: growth shows as a trend, noise as a spread. */
  heapEvery100: (number | null)[];
  facesPerFrame: number;
  namedFrames: number;
  /** Frames that reused the last detection because nothing moved (Visage only). */
  stillFrames?: number;
  /** Frames on which blazeface ran (Visage only); on the others the mesh followed the faces it had. */
  blazefaceRuns?: number;
}

const HumanClass = (HumanModule as unknown as { Human: typeof HumanInstance }).Human;
const params = new URLSearchParams(location.search);
const modelsUrl = new URL('models/', document.baseURI).href;
const log = (line: string) => {
  const pre = document.getElementById('log');
  if (pre) pre.textContent += `${line}\n`;
  console.log(line);
};
/** JS heap in use after full collections (the bench runs Chromium with --expose-gc, and with precise memory
 * info: otherwise Chromium rounds the figure and refreshes it only now and then), so garbage not yet
 * collected does not pass for growth. Collected twice with a task between: one gc() called straight from
 * the frame loop read 19–58 MB every 100 frames with no trend (why was not traced); this reads steady. */
const heap = async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc?.();
  }
  return (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null;
};
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

/** `count` consecutive camera frames, one per `everyMs` (the camera's own rate for a moving clip). */
async function grabFrames(count: number, everyMs: number): Promise<ImageBitmap[]> {
  const video = document.getElementById('camera') as HTMLVideoElement;
  const camera = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
  video.srcObject = camera;
  await video.play();
  while (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) await new Promise((r) => setTimeout(r, 20));
  const frames: ImageBitmap[] = [];
  for (let i = 0; i < count; i++) {
    frames.push(await createImageBitmap(video));
    await new Promise((r) => setTimeout(r, everyMs));
  }
  // The camera stops once its frames are grabbed. A playing video keeps Chromium's software compositor
  // (SwiftShader, no GPU here) busy on about one of this machine's two cores: every pipeline below would
  // be timed against it, and the ratios would follow the compositor's load as much as the pipelines'.
  for (const track of camera.getTracks()) track.stop();
  video.srcObject = null;
  return frames;
}

/**
 * A grabbed frame as the app's engine receives it: the app reads camera frames from the track as
 * VideoFrames whose planes are copied out (FramePixels), never through a canvas; Human is given the
 * ImageBitmap, its own input as users run it.
 */
function asCameraFrame(bitmap: ImageBitmap, i: number): VideoFrame {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('No 2D canvas for the bench frames');
  ctx.drawImage(bitmap, 0, 0);
  const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  return new VideoFrame(rgba, { format: 'RGBA', codedWidth: bitmap.width, codedHeight: bitmap.height, timestamp: i * 33_333 });
}

/**
 * One pipeline timed frame by frame, in turns: every pipeline of a backend runs a share of its frames,
 * then the next one does, round after round. Run one after another, the pipelines met the machine at
 * different minutes, and its speed varied (2026-12-05: one every-frame run 0.44 of Human, the next 0.54,
 * each stage a quarter to a third slower while Human's rows moved apart): in turns, each ratio compares
 * the same minutes.
 */
class TimedLoop {
  private readonly times: number[] = [];
  private tensorsAt10: number | null = null;
  private heapAt10: number | null = null;
  private readonly heapEvery100: (number | null)[] = [];
  private faces = 0;
  private named = 0;
  private done = 0;

  constructor(
    readonly count: number,
    /** Frame i of this pipeline (the caller picks it from the grabbed frames, in order, looping). */
    private readonly step: (i: number) => Promise<{ faces: number; named: boolean }>,
    private readonly tensors: () => number,
    /** Called before each turn: what the pipeline must not carry over from the others' turns. */
    private readonly beforeTurn: () => void = () => undefined,
  ) {}

  /** This pipeline's next share of frames: its count over `rounds`. */
  async turn(rounds: number): Promise<void> {
    const end = Math.min(this.count, this.done + Math.ceil(this.count / rounds));
    this.beforeTurn();
    for (; this.done < end; this.done++) {
      const i = this.done;
      const t0 = performance.now();
      const r = await this.step(i);
      this.times.push(performance.now() - t0);
      this.faces += r.faces;
      if (r.named) this.named += 1;
      if (i === 9) {
        this.tensorsAt10 = this.tensors();
        this.heapAt10 = await heap();
      }
      if (i % 100 === 99) this.heapEvery100.push(await heap());
    }
  }

  async result() {
    const steady = this.times.slice(Math.min(5, this.times.length - 1));
    const mean = steady.reduce((a, b) => a + b, 0) / steady.length;
    const { count, faces, named, tensorsAt10, heapAt10, heapEvery100 } = this;
    return { frames: count, p50: quantile(steady, 0.5), p95: quantile(steady, 0.95), fps: 1000 / mean, tensorsAt10, tensorsAtEnd: this.tensors(), heapAt10, heapAtEnd: await heap(), heapEvery100, facesPerFrame: faces / count, namedFrames: named };
  }
}

/** Turns each pipeline of a backend gets (see TimedLoop). */
const ROUNDS = 5;

function humanConfig(backend: BackendName, cached: boolean): Partial<Config> {
  // Human's defaults for video (its own frame skipping and caching included), with the face pipeline the
  // task needs — detector, mesh, description — and everything else off. Uncached: every model runs on
  // every frame, as Visage's every-frame pipeline does.
  const everyFrame = cached ? {} : { skipFrames: 0, skipTime: 0 };
  return {
    ...(cached ? {} : { cacheSensitivity: 0 }),
    backend,
    wasmPath: `${modelsUrl}wasm/`,
    modelBasePath: modelsUrl,
    cacheModels: false,
    debug: false,
    face: {
      enabled: true,
      detector: { modelPath: 'blazeface.json', ...everyFrame },
      mesh: { enabled: true, modelPath: 'facemesh.json' },
      iris: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: true, modelPath: 'faceres.json', ...everyFrame },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      attention: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
    filter: { enabled: false },
  };
}

async function run(): Promise<RunResult[]> {
  const backends = (params.get('backends') ?? 'wasm').split(',') as BackendName[];
  const models = (params.get('models') ?? 'arcface-mobilefacenet').split(',') as EmbedderId[];
  const counts = new Map<string, number>((params.get('frames') ?? 'wasm:1000').split(',').map((kv): [string, number] => {
    const [k = '', v = ''] = kv.split(':');
    return [k, Number(v)];
  }));
  const [grab = 30, everyMs = 40] = (params.get('grab') ?? '30:40').split(':').map(Number);
  const frames = await grabFrames(grab, everyMs);
  log(`grabbed ${frames.length} frames ${frames[0]?.width}x${frames[0]?.height}, one every ${everyMs} ms`);
  const cameraFrames = frames.map(asCameraFrame);
  const results: RunResult[] = [];
  const tensors = () => tf.memory().numTensors;
  for (const backend of backends) {
    const n = counts.get(backend) ?? 20;
    const short = Math.max(10, Math.round(n / 5));
    const loops: { loop: TimedLoop; finish: (r: Awaited<ReturnType<TimedLoop['result']>>) => RunResult }[] = [];
    for (const model of models) {
      // An engine per pipeline: each keeps its own tracking state and stage timings between turns.
      for (const pipeline of ['visage-tracking', 'visage-every-frame'] as const) {
        const engine = await VisionEngine.start({ kind: 'start', modelsUrl, modelId: model, backend }, () => undefined);
        if (engine.info.backend !== backend) {
          log(`${backend}: not available (got ${engine.info.backend}), skipped`);
          break;
        }
        // Enroll the first person in view, so recognition has someone to name.
        let sample = null;
        for (const frame of cameraFrames) {
          [sample = null] = await engine.capture(frame);
          if (sample) break;
        }
        const policy = engine.info.calibrated ?? { threshold: 0.12, minMargin: 0 };
        engine.setGallery(new Gallery(model, EMBEDDERS[model].dims, sample ? [{ personId: 'ada', embedding: sample.embedding }] : []).toParts(), policy);
        engine.trackFaces = pipeline === 'visage-tracking';
        const [stillBefore, blazefaceBefore, stagesBefore] = [engine.stillFrames, engine.blazefaceRuns, { ...engine.stageMs }];
        const count = pipeline === 'visage-tracking' ? n : short;
        // Human keeps the faces it follows per page: each turn starts afresh, not from another pipeline's.
        const loop = new TimedLoop(count, async (i) => {
          const frame = cameraFrames[i % cameraFrames.length] as VideoFrame;
          if (pipeline === 'visage-tracking') {
            const out = await engine.recognize(frame, performance.now());
            return { faces: out.faces.length, named: out.faces.some((f) => f.identity.kind === 'known') };
          }
          const out = await engine.analyze(frame, true);
          return { faces: out.faces.length, named: out.faces.some((f) => f.embedding !== null) };
        }, tensors, () => engine.lookAfresh());
        loops.push({ loop, finish: (r) => {
          const per = (k: keyof VisionEngine['stageMs']) => (engine.stageMs[k] - stagesBefore[k]) / count;
          const stageMs = { pixels: per('pixels'), detection: per('detection'), embedding: per('embedding'), matching: per('matching') };
          return { pipeline, backend, model, stageMs, ...r, stillFrames: engine.stillFrames - stillBefore, blazefaceRuns: engine.blazefaceRuns - blazefaceBefore };
        } });
      }
    }
    for (const pipeline of ['human', 'human-uncached'] as const) {
      const human = new HumanClass(humanConfig(backend, pipeline === 'human'));
      await human.load();
      const missing = ['blazeface', 'facemesh', 'faceres'].filter((m) => !human.models.loaded().includes(m));
      if (missing.length > 0) throw new Error(`Human did not load ${missing.join(', ')}`);
      const loop = new TimedLoop(short, async (i) => {
        const out = await human.detect(frames[i % frames.length]);
        return { faces: out.face.length, named: out.face.some((f) => (f.embedding?.length ?? 0) > 0) };
      }, tensors);
      loops.push({ loop, finish: (r) => ({ pipeline, backend, ...r }) });
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const { loop } of loops) await loop.turn(ROUNDS);
    }
    for (const { loop, finish } of loops) {
      const r = finish(await loop.result());
      results.push(r);
      log(`${r.pipeline} ${r.model ?? ''} ${backend}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, ${r.fps.toFixed(1)} fps, tensors ${r.tensorsAt10} → ${r.tensorsAtEnd}`);
    }
  }
  // Closed, not left to the collector (Chromium reports every VideoFrame collected unclosed).
  for (const frame of cameraFrames) frame.close();
  for (const frame of frames) frame.close();
  return results;
}

declare global {
  interface Window {
    benchResult?: { ok: true; results: RunResult[] } | { ok: false; error: string };
  }
}

run().then(
  (results) => (window.benchResult = { ok: true, results }),
  (e: unknown) => (window.benchResult = { ok: false, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) }),
);
