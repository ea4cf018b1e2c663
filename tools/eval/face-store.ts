// The eval tool's view of images: production detector and embedders running in Node on tfjs wasm/cpu,
// with every detection and embedding cached by file hash + model id and weights (+ roll) under
// .cache/eval/, so reruns are fast. Nothing here is written into the repository's tracked files.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { projectEmbedding, type PersonalHead } from '../../src/domain/personal-head.ts';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { averageEmbeddings, makeEmbedding, type Embedding } from '../../src/domain/embedding.ts';
import { pixelBox, type FivePoints } from '../../src/domain/geometry.ts';
import { SUBJECT_FACE_RULE, subjectFaceIndex } from '../../src/domain/subject-face.ts';
import type { BackendName } from '../../src/domain/backend-choice.ts';
import { loadHumanSpoofModels, startVisionStack, type VisionStack } from '../../src/inference/vision-stack.ts';
import { ReplayCheck } from '../../src/inference/replay-check.ts';
import { loadEmbedder } from '../../src/inference/embedders/load-embedder.ts';
import { findModel, type ModelManifest } from '../../src/domain/model-manifest.ts';
import type { FaceEmbedder } from '../../src/inference/embedders/face-embedder.ts';
import { embedFaceViews } from '../../src/inference/face-embedding.ts';
import { EMBEDDERS, type EmbedderId } from '../../src/domain/embedder-specs.ts';
import { DETECTOR_VERSION } from '../../src/inference/face-detector.ts';
import { createHash } from 'node:crypto';
import type { ModelFileSource } from '../../src/inference/verified-model-files.ts';
import { decodeImage, readImageFile, type ImageFile } from './image-file.ts';
import { AlignmentError } from '../../src/domain/similarity-transform.ts';
import { Progress } from './progress.ts';

export type FaceLookup =
  | { kind: 'face'; straight: Float32Array; flipped: Float32Array }
  | { kind: 'no-face' }
  | { kind: 'error'; message: string };

interface DetectionRecord {
  key: string;
  width?: number;
  height?: number;
  faces?: { box: number[]; score: number; points: number[] }[];
  error?: string;
}

interface EmbeddingRecord {
  key: string;
  straight?: string;
  flipped?: string;
  noFace?: true;
  error?: string;
}

const versionTag = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 10);

const toB64 = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
const fromB64 = (s: string) => {
  const b = Buffer.from(s, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

class JsonlCache<T extends { key: string }> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly path: string) {
    if (existsSync(path)) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          const rec = JSON.parse(line) as T;
          this.entries.set(rec.key, rec);
        } catch {
          // A line cut short by an interrupted run: recomputed on demand.
        }
      }
    }
  }
  get(key: string): T | undefined {
    return this.entries.get(key);
  }
  put(rec: T): void {
    this.entries.set(rec.key, rec);
    appendFileSync(this.path, `${JSON.stringify(rec)}\n`);
  }
}

function toPoints(p: number[]): FivePoints {
  const at = (i: number) => ({ x: p[2 * i] ?? NaN, y: p[2 * i + 1] ?? NaN });
  return { leftEye: at(0), rightEye: at(1), nose: at(2), mouthLeft: at(3), mouthRight: at(4) };
}

export interface FaceStoreOptions {
  modelsDir: string;
  cacheDir: string;
  backend: BackendName;
}

/** The sha256 of every file of these models, as the manifest pins them. */
function weightsOf(manifest: ModelManifest, ids: readonly string[]): string {
  return ids.flatMap((id) => findModel(manifest, id).files.map((f) => f.sha256)).join(',');
}

/** The cache of detections: a new detector version or new detector weights start a new file. */
export function detectionCacheFile(manifest: ModelManifest, roll: number): string {
  return `detections-${versionTag(`${DETECTOR_VERSION}|${weightsOf(manifest, ['blazeface', 'facemesh'])}`)}-roll${roll}.jsonl`;
}

/**
 * The cache of one model's embeddings. A new detector, subject rule, template or model file makes new
 * embeddings, so each is in the name (the weights by their pinned sha256: a package update is never
 * served stale).
 */
export function embeddingCacheFile(manifest: ModelManifest, model: EmbedderId, roll: number): string {
  const weights = weightsOf(manifest, ['blazeface', 'facemesh', model]);
  return `embeddings-${model}-${versionTag(`${DETECTOR_VERSION}|${SUBJECT_FACE_RULE}|${JSON.stringify(EMBEDDERS[model])}|${weights}`)}-roll${roll}.jsonl`;
}

export class FaceStore {
  private readonly embedders = new Map<EmbedderId, FaceEmbedder>();
  private readonly detections = new Map<number, JsonlCache<DetectionRecord>>();
  private readonly embeddings = new Map<string, JsonlCache<EmbeddingRecord>>();

  private constructor(private readonly stack: VisionStack, private readonly source: ModelFileSource, private readonly options: FaceStoreOptions) {}

  static async open(options: FaceStoreOptions): Promise<FaceStore> {
    const source: ModelFileSource = (path) => Promise.resolve(new Response(readFileSync(join(options.modelsDir, path))));
    mkdirSync(options.cacheDir, { recursive: true });
    const stack = await startVisionStack({ source, modelsUrl: `${options.modelsDir}/`, backend: options.backend });
    return new FaceStore(stack, source, options);
  }

  get backend(): string {
    return this.stack.backend.backend;
  }

  /** The detector with Human's anti-spoofing models loaded. */
  async spoofDetector(): Promise<VisionStack['detector']> {
    await loadHumanSpoofModels(this.stack.detector, this.stack.manifest, this.source);
    return this.stack.detector;
  }

  /** The app's replay check, verified from the models folder; the caller disposes it. */
  replayCheck(): Promise<ReplayCheck> {
    return ReplayCheck.load(this.stack.manifest, this.source);
  }

  get detector(): VisionStack['detector'] {
    return this.stack.detector;
  }

  async embedder(id: EmbedderId): Promise<FaceEmbedder> {
    let e = this.embedders.get(id);
    if (!e) {
      e = await loadEmbedder(id, this.stack.manifest, this.source);
      this.embedders.set(id, e);
    }
    return e;
  }

  private detectionCache(roll: number): JsonlCache<DetectionRecord> {
    let c = this.detections.get(roll);
    if (!c) {
      c = new JsonlCache(join(this.options.cacheDir, detectionCacheFile(this.stack.manifest, roll)));
      this.detections.set(roll, c);
    }
    return c;
  }

  private embeddingCache(model: EmbedderId, roll: number): JsonlCache<EmbeddingRecord> {
    const name = embeddingCacheFile(this.stack.manifest, model, roll);
    let c = this.embeddings.get(name);
    if (!c) {
      c = new JsonlCache(join(this.options.cacheDir, name));
      this.embeddings.set(name, c);
    }
    return c;
  }

  /** Decoded (and rolled) image; the caller disposes it. */
  static load(file: string | ImageFile, roll: number): tf.Tensor3D {
    const image = decodeImage(typeof file === 'string' ? readImageFile(file) : file);
    if (roll === 0) return image;
    return tf.tidy(() => {
      const batch = tf.expandDims<tf.Tensor4D>(tf.cast(image, 'float32'), 0);
      image.dispose();
      return tf.squeeze<tf.Tensor3D>(tf.image.rotateWithOffset(batch, (roll * Math.PI) / 180, 0, 0.5), [0]);
    });
  }

  /** Embeds the subject face of every file (straight and mirrored), from cache where possible. */
  async embedAll(paths: readonly string[], model: EmbedderId, roll: number): Promise<Map<string, FaceLookup>> {
    const embedder = await this.embedder(model);
    const dets = this.detectionCache(roll);
    const embs = this.embeddingCache(model, roll);
    const out = new Map<string, FaceLookup>();
    const progress = new Progress(`${model}${roll ? ` roll ${roll}` : ''}`, paths.length);
    for (const path of paths) {
      progress.tick();
      let file: ImageFile;
      try {
        file = readImageFile(path);
      } catch (e) {
        out.set(path, { kind: 'error', message: e instanceof Error ? e.message : String(e) });
        continue;
      }
      // Rolled images of the same file are different inputs: each roll is its own key.
      const key = file.hash;
      const cached = embs.get(key);
      if (cached) {
        out.set(path, FaceStore.lookupOf(cached));
        continue;
      }
      let image: tf.Tensor3D | undefined;
      try {
        image = FaceStore.load(file, roll);
        const det = await this.detect(dets, key, image);
        const faces = det.faces ?? [];
        const index = subjectFaceIndex(faces.map((f) => pixelBox(f.box[0] ?? 0, f.box[1] ?? 0, f.box[2] ?? 0, f.box[3] ?? 0)), det.width ?? 0, det.height ?? 0);
        const subject = faces[index];
        if (!subject) {
          embs.put({ key, noFace: true });
          out.set(path, { kind: 'no-face' });
          continue;
        }
        const [views] = await embedFaceViews(embedder, image, [toPoints(subject.points)], true);
        if (!views?.mirrored) throw new Error('The embedder returned no vectors');
        const rec: EmbeddingRecord = { key, straight: toB64(views.straight.vector), flipped: toB64(views.mirrored.vector) };
        embs.put(rec);
        out.set(path, FaceStore.lookupOf(rec));
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        // Only a verdict on the image itself is worth remembering; anything else may not recur.
        if (e instanceof AlignmentError) embs.put({ key, error: message });
        out.set(path, { kind: 'error', message });
      } finally {
        image?.dispose();
      }
    }
    return out;
  }

  private async detect(cache: JsonlCache<DetectionRecord>, key: string, image: tf.Tensor3D): Promise<DetectionRecord> {
    const hit = cache.get(key);
    if (hit) return hit;
    const batch = tf.expandDims<tf.Tensor4D>(image, 0);
    const faces = await this.stack.detector.detect(batch);
    batch.dispose();
    const [height, width] = image.shape;
    const rec: DetectionRecord = {
      key,
      width,
      height,
      faces: faces.map((f) => ({
        box: [f.box.x, f.box.y, f.box.width, f.box.height],
        score: f.score,
        points: [f.points.leftEye, f.points.rightEye, f.points.nose, f.points.mouthLeft, f.points.mouthRight].flatMap((p) => [p.x, p.y]),
      })),
    };
    cache.put(rec);
    return rec;
  }

  private static lookupOf(rec: EmbeddingRecord): FaceLookup {
    if (rec.error) return { kind: 'error', message: rec.error };
    if (rec.noFace || !rec.straight || !rec.flipped) return { kind: 'no-face' };
    return { kind: 'face', straight: fromB64(rec.straight), flipped: fromB64(rec.flipped) };
  }
}

/**
 * The embedding used for comparisons: straight, or averaged with the mirror image (as the app does), and
 * seen through a personal head when one is given.
 */
export function probeVector(face: Extract<FaceLookup, { kind: 'face' }>, flip: boolean, modelId: string, head?: PersonalHead): Embedding {
  const straight = makeEmbedding(modelId, face.straight);
  const e = flip ? averageEmbeddings([straight, makeEmbedding(modelId, face.flipped)]) : straight;
  return head ? projectEmbedding(head, e) : e;
}
