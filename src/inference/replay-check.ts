// Is this a person in front of the camera, or a photo or screen held up to it? faceplugin's liveness
// model (converted from ONNX at install, run by our converted-graph pass) looks at the face with its
// surroundings: a screen's edge, glare and colour cast sit around the face as much as on it.
// `eval spoof` chose it over Human's antispoof and liveness models (docs/RELIABILITY.md).
import * as tf from '@tensorflow/tfjs-core';
import type { PixelBox } from '../domain/geometry.ts';
import { findModel, type ModelManifest } from '../domain/model-manifest.ts';
import { fetchVerifiedFiles, type ModelFileSource } from './verified-model-files.ts';
import { concatBuffers, provideVerifiedFiles, verifiedFile } from './verified-model-router.ts';
import { ConvertedModel } from './converted-graph.ts';

export const REPLAY_CHECK_MODEL = 'faceplugin-liveness';
const INPUT = 128;
/** How much of the surroundings the model was trained to see: the face box, 2.7× as wide and tall. */
const CONTEXT_SCALE = 2.7;

/**
 * The region the model reads, as the package's own JS cuts it: the box widened about its centre
 * (less where the image is smaller), then slid back inside the image rather than cut off.
 */
export function replayRegion(box: PixelBox, width: number, height: number): { x0: number; y0: number; x1: number; y1: number } {
  const scale = Math.min((height - 1) / box.height, (width - 1) / box.width, CONTEXT_SCALE);
  const [w, h] = [box.width * scale, box.height * scale];
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  let [x0, y0, x1, y1] = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
  if (x0 < 0) [x1, x0] = [x1 - x0, 0];
  if (y0 < 0) [y1, y0] = [y1 - y0, 0];
  if (x1 > width - 1) [x0, x1] = [x0 - (x1 - width + 1), width - 1];
  if (y1 > height - 1) [y0, y1] = [y0 - (y1 - height + 1), height - 1];
  return { x0, y0, x1, y1 };
}

export class ReplayCheck {
  private constructor(private readonly model: ConvertedModel) {}

  /** Verifies the model's files against the manifest, then builds the check. */
  static async load(manifest: ModelManifest, source: ModelFileSource): Promise<ReplayCheck> {
    const entry = findModel(manifest, REPLAY_CHECK_MODEL);
    provideVerifiedFiles(await fetchVerifiedFiles(entry.files, source));
    const json = entry.files.find((f) => f.path.endsWith('.json'));
    if (!json) throw new Error(`${REPLAY_CHECK_MODEL} has no JSON file in the manifest`);
    const bin = concatBuffers(entry.files.filter((f) => f !== json).map((f) => verifiedFile(f.path)));
    return new ReplayCheck(ConvertedModel.fromFiles(verifiedFile(json.path), bin, json.path));
  }

  /**
   * For each box in the RGB 0-255 image, the probability (0-1) that it is a person in front of the
   * camera: all boxes in one batch.
   */
  async personScores(image: tf.Tensor3D, boxes: readonly PixelBox[]): Promise<number[]> {
    if (boxes.length === 0) return [];
    const [height, width] = image.shape;
    const out = tf.tidy(() => {
      const regions = boxes.map((b) => {
        const r = replayRegion(b, width, height);
        return [r.y0 / (height - 1), r.x0 / (width - 1), r.y1 / (height - 1), r.x1 / (width - 1)];
      });
      const crops = tf.image.cropAndResize(tf.expandDims<tf.Tensor4D>(tf.cast(image, 'float32'), 0), regions, boxes.map(() => 0), [INPUT, INPUT]);
      // Trained on BGR: fed RGB, the model separates replays far worse (AUC 0.73 against 0.96 here).
      const logits = this.model.run(tf.reverse(crops, -1)) as tf.Tensor2D;
      return tf.squeeze(tf.slice(tf.softmax(logits), [0, 0], [-1, 1]), [1]);
    });
    try {
      return Array.from(await out.data());
    } finally {
      out.dispose();
    }
  }

  dispose(): void {
    this.model.dispose();
  }
}
