// A stand-in for a presentation attack, made from a real photo: what a phone screen held up to a webcam
// does to a picture — lower contrast, a blue cast from the backlight, moiré from the pixel grid beating
// against the sensor's, and softness from the re-focus. It is a proxy (no real attack photos ship in
// the packages), good for one question: does the gate notice anything of the kind at all?
import * as tf from '@tensorflow/tfjs-core';

export function simulatedRecapture(image: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const [h, w] = image.shape;
    const rgb = tf.cast(image, 'float32');
    const screen = tf.add(tf.mul(rgb, tf.tensor1d([0.7, 0.76, 0.85])), tf.tensor1d([20, 28, 45]));
    const y = tf.reshape(tf.range(0, h), [h, 1, 1]);
    const x = tf.reshape(tf.range(0, w), [1, w, 1]);
    const moire = tf.mul(tf.sin(tf.add(tf.mul(x, 1.9), tf.mul(y, 0.7))), 8);
    const batch = tf.expandDims<tf.Tensor4D>(tf.clipByValue(tf.add(screen, moire), 0, 255), 0);
    const soft = tf.image.resizeBilinear(tf.image.resizeBilinear(batch, [Math.round(h / 1.6), Math.round(w / 1.6)]), [h, w]);
    return tf.squeeze<tf.Tensor3D>(soft, [0]);
  });
}
