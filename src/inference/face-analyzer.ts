// Faces of a frame: detection (box, five points, pose), then, for the faces the caller picks, the
// embedding of the active model; for enrollment also the stored aligned face and its sharpness.
import * as tf from '@tensorflow/tfjs-core';
import type { Embedding } from '../domain/embedding.ts';
import type { FaceDetector, DetectedFace, DetectionMode } from './face-detector.ts';
import type { FaceEmbedder } from './embedders/face-embedder.ts';
import type { FivePoints, PixelArea } from '../domain/geometry.ts';
import { cropsArea, embedFaces } from './face-embedding.ts';
import type { ReplayCheck } from './replay-check.ts';
import type { RgbaImage } from './image-codec.ts';
import { sharpnessOf, storedFaceArea, storedFaceCrop, storedFacePoints } from './stored-face.ts';

export interface AnalyzedFace extends DetectedFace {
  embedding: Embedding | null;
}

export interface CapturedFace extends AnalyzedFace {
  embedding: Embedding;
  /** [240, 240, 3] float 0-255 aligned face (stored-face.ts); the caller disposes it. */
  storedFace: tf.Tensor3D;
  sharpness: number;
}

export class FaceAnalyzer {
  constructor(
    readonly detector: FaceDetector,
    readonly embedder: FaceEmbedder,
    readonly flip: boolean,
  ) {}

  get modelId(): string {
    return this.embedder.spec.id;
  }

  /**
   * Every face in the image: box, score, five points, pose.
   * @param mode how the detector looks at it (DetectionMode): photos and captures get `photo`.
   * @param replayCheck when given, each face also gets its score: a person, or a photo or screen.
   */
  async detect(image: tf.Tensor3D, mode: DetectionMode = 'photo', replayCheck?: ReplayCheck): Promise<DetectedFace[]> {
    const batch = tf.expandDims<tf.Tensor4D>(image, 0);
    let faces: DetectedFace[];
    try {
      faces = await this.detector.detect(batch, mode);
    } finally {
      batch.dispose();
    }
    if (!replayCheck) return faces;
    const scores = await replayCheck.personScores(image, faces.map((f) => f.box));
    return faces.map((f, i) => ({ ...f, spoof: { person: scores[i] ?? 0 } }));
  }

  /** Embeds faces already detected in this image (the tracker picks which need it). */
  async embedDetected(image: tf.Tensor3D, faces: readonly DetectedFace[]): Promise<AnalyzedFace[]> {
    if (faces.length === 0) return [];
    const embeddings = await embedFaces(this.embedder, image, faces.map((f) => f.points), { flip: this.flip });
    return faces.map((f, i) => ({ ...f, embedding: embeddings[i] ?? null }));
  }

  /** Each face's embedding, stored aligned face and sharpness: an enrollment candidate. */
  async captureDetected(image: tf.Tensor3D, faces: readonly DetectedFace[]): Promise<CapturedFace[]> {
    const embedded = await this.embedDetected(image, faces);
    return embedded.flatMap((f) => {
      if (!f.embedding) return [];
      const storedFace = storedFaceCrop(image, f.points);
      return [{ ...f, embedding: f.embedding, storedFace, sharpness: sharpnessOf(storedFace) }];
    });
  }

  /**
   * The pixels a capture of this face reads (its embedding crop and its stored face), or null when they
   * lie outside the image: capturing from just that rectangle gives what capturing from the whole does.
   */
  captureArea(points: FivePoints, width: number, height: number): PixelArea | null {
    const crop = cropsArea(this.embedder, [points], width, height);
    const stored = storedFaceArea(points, width, height);
    if (!crop || !stored) return crop ?? stored;
    const [x0, y0] = [Math.min(crop.x, stored.x), Math.min(crop.y, stored.y)];
    const x1 = Math.max(crop.x + crop.width, stored.x + stored.width);
    const y1 = Math.max(crop.y + crop.height, stored.y + stored.height);
    return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  }

  /** Re-embeds a stored face as the browser decoded it from its JPEG. */
  async embedStoredImage({ rgba, width, height }: RgbaImage): Promise<Embedding> {
    const image = tf.tidy(() => tf.slice(tf.tensor3d(Float32Array.from(rgba), [height, width, 4]), [0, 0, 0], [-1, -1, 3]));
    try {
      return await this.embedStoredFace(image);
    } finally {
      image.dispose();
    }
  }

  /** Re-embeds a stored aligned face (its five points are its layout's template by construction). */
  async embedStoredFace(storedFace: tf.Tensor3D): Promise<Embedding> {
    const [embedding] = await embedFaces(this.embedder, storedFace, [storedFacePoints(storedFace.shape[1])], { flip: this.flip });
    if (!embedding) throw new Error('The stored face could not be embedded');
    return embedding;
  }
}
