// The triplet loss that came with the original FaceNet model, batched in tfjs:
// L = mean over the batch of max(‖f(A) − f(P)‖² − ‖f(A) − f(N)‖² + α, 0).
import * as tf from '@tensorflow/tfjs-core';

export const TRIPLET_ALPHA = 0.2;

/** @param anchor, positive, negative [N, D] embeddings (one triplet per row). Returns a scalar. */
export function tripletLoss(anchor: tf.Tensor2D, positive: tf.Tensor2D, negative: tf.Tensor2D, alpha = TRIPLET_ALPHA): tf.Scalar {
  return tf.tidy(() => {
    const pos = tf.sum(tf.squaredDifference(anchor, positive), 1);
    const neg = tf.sum(tf.squaredDifference(anchor, negative), 1);
    return tf.mean(tf.relu(tf.add(tf.sub(pos, neg), alpha)));
  });
}

/** Per-triplet losses (not averaged), for violation rates. */
export function tripletLosses(anchor: tf.Tensor2D, positive: tf.Tensor2D, negative: tf.Tensor2D, alpha = TRIPLET_ALPHA): tf.Tensor1D {
  return tf.tidy(() => {
    const pos = tf.sum(tf.squaredDifference(anchor, positive), 1);
    const neg = tf.sum(tf.squaredDifference(anchor, negative), 1);
    return tf.relu(tf.add(tf.sub(pos, neg), alpha));
  });
}
