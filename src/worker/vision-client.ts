// The UI's only door to inference. For now it runs the vision stack on the main thread; the
// inference worker (with this same surface) replaces it without the UI changing.
import * as tf from '@tensorflow/tfjs-core';
import { startVisionStack, type VisionStack } from '../inference/vision-stack.ts';
import type { LoadProgress } from '../inference/verified-model-files.ts';
import type { DetectedFace } from '../inference/face-detector.ts';
import type { AnalyzedFace } from '../inference/face-analyzer.ts';
import { EMBEDDERS, type EmbedderId } from '../inference/embedder-specs.ts';
import type { BackendName } from '../domain/backend-choice.ts';
import type { Embedding } from '../domain/embedding.ts';
import type { MatchPolicy } from '../domain/matching.ts';
import type { FaceQuality } from '../domain/quality-gates.ts';
import { suppressOverlaps } from '../domain/geometry.ts';

export type { LoadProgress, DetectedFace, AnalyzedFace, BackendName, EmbedderId };
export { EMBEDDERS };

export interface VisionInfo {
  backend: BackendName;
  renderer: string | null;
  verifiedBytes: number;
  modelId: EmbedderId;
  /** The calibrated 1:N policy of the active model (null when the manifest has none). */
  calibrated: MatchPolicy | null;
  /** Where inference runs, shown in the status line. */
  thread: 'main';
}

export type FrameSource = HTMLVideoElement | ImageBitmap | HTMLCanvasElement | HTMLImageElement;

/** A face ready to enroll: its embedding, the quality numbers the gates judge, and its thumbnail. */
export interface CapturedSample {
  face: DetectedFace;
  embedding: Embedding;
  quality: FaceQuality;
  /** Aligned 224×224 face, JPEG. */
  thumbnail: Blob;
}

const toDegrees = (rad: number) => (rad * 180) / Math.PI;

/**
 * The detector keeps candidates down to score 0.2 (so hard faces in photos are found), but in the live
 * view a weak candidate is more often a patch of background than a face: labelling it "Not in database"
 * would be noise. The live view shows faces from 0.5, Human's usual display threshold.
 */
export const LIVE_MIN_FACE_SCORE = 0.5;

async function jpegOf(face: tf.Tensor3D): Promise<Blob> {
  const pixels = await tf.browser.toPixels(tf.tidy(() => tf.cast<tf.Tensor3D>(tf.clipByValue(face, 0, 255), 'int32')));
  const [h, w] = face.shape;
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('No 2D canvas to encode the face thumbnail');
  ctx.putImageData(new ImageData(new Uint8ClampedArray(pixels), w, h), 0, 0);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('JPEG encoding failed'))), 'image/jpeg', 0.9));
}

export class VisionClient {
  private constructor(private readonly stack: VisionStack) {}

  static async start(modelsUrl: string, modelId: EmbedderId, onProgress: (p: LoadProgress) => void, backend?: BackendName): Promise<VisionClient> {
    const source = (path: string) => fetch(new URL(path, modelsUrl));
    return new VisionClient(await startVisionStack({ source, modelsUrl, onProgress, embedder: modelId, ...(backend ? { backend } : {}) }));
  }

  private get analyzer() {
    const a = this.stack.analyzer;
    if (!a) throw new Error('No embedder loaded');
    return a;
  }

  get info(): VisionInfo {
    const modelId = this.analyzer.modelId as EmbedderId;
    const c = this.stack.manifest.models.find((m) => m.id === modelId)?.calibration;
    return {
      backend: this.stack.backend.backend,
      renderer: this.stack.backend.renderer,
      verifiedBytes: this.stack.verifiedBytes,
      modelId,
      calibrated: c ? { threshold: c.threshold, minMargin: c.minMargin } : null,
      thread: 'main',
    };
  }

  /** Every face in the frame, each with its embedding when `embed` is set. */
  async analyze(frame: FrameSource, embed: boolean): Promise<{ faces: AnalyzedFace[]; width: number; height: number }> {
    const image = tf.browser.fromPixels(frame);
    try {
      const [height, width] = image.shape;
      const faces = suppressOverlaps((await this.analyzer.analyze(image, embed)).filter((f) => f.score >= LIVE_MIN_FACE_SCORE));
      return { faces, width, height };
    } finally {
      image.dispose();
    }
  }

  /** Every face in the frame as an enrollment candidate (the UI gates them and lets the user pick). */
  async capture(frame: FrameSource): Promise<CapturedSample[]> {
    const image = tf.browser.fromPixels(frame);
    try {
      const all = await this.analyzer.capture(image);
      const captured = suppressOverlaps(all);
      for (const c of all) if (!captured.includes(c)) c.storedFace.dispose();
      const out: CapturedSample[] = [];
      for (const c of captured) {
        try {
          out.push({
            face: c,
            embedding: c.embedding,
            thumbnail: await jpegOf(c.storedFace),
            quality: {
              faceCount: captured.length,
              faceSize: Math.min(c.box.width, c.box.height),
              yawDeg: toDegrees(c.yaw),
              pitchDeg: toDegrees(c.pitch),
              sharpness: c.sharpness,
              detectorScore: c.score,
            },
          });
        } finally {
          c.storedFace.dispose();
        }
      }
      return out;
    } finally {
      image.dispose();
    }
  }

  /** Re-embeds an enrolled sample's stored face with the active model (model switch). */
  async embedThumbnail(thumbnail: Blob): Promise<Embedding> {
    const bitmap = await createImageBitmap(thumbnail);
    const image = tf.browser.fromPixels(bitmap);
    bitmap.close();
    try {
      return await this.analyzer.embedStoredFace(tf.tidy(() => tf.cast<tf.Tensor3D>(image, 'float32')));
    } finally {
      image.dispose();
    }
  }
}
