// Embedders that ship as tfjs graph models (faceres, mobileface): loaded from verified bytes through
// the `visage-verified://` router; the descriptor is the output with the model's embedding width.
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import type { EmbedderSpec } from '../../domain/embedder-specs.ts';
import { VERIFIED_SCHEME } from '../verified-model-router.ts';
import { rowsOf, type FaceEmbedder } from './face-embedder.ts';

export class GraphEmbedder implements FaceEmbedder {
  private constructor(
    readonly spec: EmbedderSpec,
    private readonly model: GraphModel,
  ) {}

  /** @param modelJson the graph model's JSON path inside the models folder (already verified). */
  static async load(spec: EmbedderSpec, modelJson: string): Promise<GraphEmbedder> {
    return new GraphEmbedder(spec, await loadGraphModel(`${VERIFIED_SCHEME}${modelJson}`));
  }

  embedBatch(crops: tf.Tensor4D): Promise<Float32Array[]> {
    const descriptor = tf.tidy(() => {
      const raw = this.model.execute(crops);
      const outputs = Array.isArray(raw) ? raw : [raw];
      const found = outputs.find((t) => t.shape.length === 2 && t.shape[1] === this.spec.dims);
      if (!found) throw new Error(`${this.spec.id} has no ${this.spec.dims}-wide output`);
      return found as tf.Tensor2D;
    });
    return rowsOf(descriptor);
  }

  dispose(): void {
    this.model.dispose();
  }
}
