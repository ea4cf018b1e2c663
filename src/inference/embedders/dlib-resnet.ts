// The dlib ResNet-29 face descriptor (128-d), run as our own tfjs forward pass over the weights that
// @vladmandic/face-api ships, so it shares the page's single tfjs with Human. Layer for layer it
// follows face-api's FaceRecognitionNet; tests check it against face-api's computeFaceDescriptor.
import * as tf from '@tensorflow/tfjs-core';
import { EMBEDDERS } from '../../domain/embedder-specs.ts';
import { rowsOf, type FaceEmbedder } from './face-embedder.ts';

const MEAN_RGB = [122.782, 117.001, 104.298] as const;

type Weights = Record<string, tf.Tensor>;

function weight(w: Weights, name: string): tf.Tensor {
  const t = w[name];
  if (!t) throw new Error(`dlib-resnet weights have no ${name}`);
  return t;
}

/** conv → bias → per-channel scale layer (dlib's affine "batch norm") → optional ReLU. */
function convLayer(x: tf.Tensor4D, w: Weights, name: string, stride: 1 | 2, relu: boolean): tf.Tensor4D {
  const padding = stride === 2 ? 'valid' : 'same';
  let out = tf.conv2d(x, weight(w, `${name}/conv/filters`) as tf.Tensor4D, stride, padding);
  out = tf.add(out, weight(w, `${name}/conv/bias`));
  out = tf.add(tf.mul(out, weight(w, `${name}/scale/weights`)), weight(w, `${name}/scale/biases`));
  return relu ? tf.relu(out) : out;
}

function residual(x: tf.Tensor4D, w: Weights, name: string): tf.Tensor4D {
  const out = convLayer(convLayer(x, w, `${name}/conv1`, 1, true), w, `${name}/conv2`, 1, false);
  return tf.relu(tf.add(out, x));
}

/** Downsampling block: the shortcut is a 2×2 average pool, zero-padded to the new width and size. */
function residualDown(x: tf.Tensor4D, w: Weights, name: string): tf.Tensor4D {
  let out = convLayer(convLayer(x, w, `${name}/conv1`, 2, true), w, `${name}/conv2`, 1, false);
  let pooled: tf.Tensor4D = tf.avgPool(x, 2, 2, 'valid');
  if (pooled.shape[1] !== out.shape[1] || pooled.shape[2] !== out.shape[2]) {
    // A 'valid' stride-2 conv on an odd size yields one row/column less than the pool: pad the conv side.
    out = tf.pad(out, [[0, 0], [0, 1], [0, 1], [0, 0]]);
  }
  if (pooled.shape[3] !== out.shape[3]) {
    pooled = tf.concat([pooled, tf.zerosLike(pooled)], 3);
  }
  return tf.relu(tf.add(pooled, out));
}

export function dlibForward(w: Weights, crops: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    let out = tf.div<tf.Tensor4D>(tf.sub(crops, tf.tensor1d([...MEAN_RGB])), 255);
    out = convLayer(out, w, 'conv32_down', 2, true);
    out = tf.maxPool(out, 3, 2, 'valid');
    for (const block of ['conv32_1', 'conv32_2', 'conv32_3']) out = residual(out, w, block);
    out = residualDown(out, w, 'conv64_down');
    for (const block of ['conv64_1', 'conv64_2', 'conv64_3']) out = residual(out, w, block);
    out = residualDown(out, w, 'conv128_down');
    for (const block of ['conv128_1', 'conv128_2']) out = residual(out, w, block);
    out = residualDown(out, w, 'conv256_down');
    for (const block of ['conv256_1', 'conv256_2']) out = residual(out, w, block);
    out = residualDown(out, w, 'conv256_down_out');
    const pooled = tf.mean<tf.Tensor2D>(out, [1, 2]);
    return tf.matMul(pooled, weight(w, 'fc'));
  });
}

/** Decodes face-api's (quantised) weights manifest + binary into named tensors. */
export function decodeDlibWeights(manifestJson: ArrayBuffer, weightData: ArrayBuffer): Weights {
  const manifest = JSON.parse(new TextDecoder().decode(manifestJson)) as tf.io.WeightsManifestConfig;
  const specs = manifest.flatMap((group) => group.weights);
  return tf.io.decodeWeights(weightData, specs);
}

export class DlibResnetEmbedder implements FaceEmbedder {
  readonly spec = EMBEDDERS['dlib-resnet'];
  constructor(private readonly weights: Weights) {}

  embedBatch(crops: tf.Tensor4D): Promise<Float32Array[]> {
    return rowsOf(dlibForward(this.weights, crops));
  }

  dispose(): void {
    for (const t of Object.values(this.weights)) t.dispose();
  }
}
