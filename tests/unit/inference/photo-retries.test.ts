// When a photo shows no face, the detector looks again at other views of it (zoomed out, mirrored,
// brighter). A face found in a view must come back in the photo's own pixels, eyes and mouth corners on
// the right sides: checked against the plain detection of the faces of a packaged sample photo.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { PHOTO_RETRIES } from '../../../src/inference/face-detector.ts';
import { startVisionStack } from '../../../src/inference/vision-stack.ts';
import { MODELS_DIR, diskSource, samplePhoto } from '../support/node-models.ts';

describe('photo retries', () => {
  it.each(PHOTO_RETRIES)('%s: every face comes back where the plain detection found it', async (retry) => {
    const { detector } = await startVisionStack({ source: diskSource, modelsUrl: `${MODELS_DIR}/`, backend: 'wasm', skipWarmUp: true });
    const image = tf.expandDims<tf.Tensor4D>(samplePhoto('sample2.jpg'), 0);
    const plain = await detector.detect(image);
    const again = await detector.detectRetry(image, retry);
    image.dispose();
    expect(plain).toHaveLength(3);
    // Zoomed out, the smaller faces of this group photo may be lost; whatever is found must map back.
    expect(again.length).toBeGreaterThan(0);
    for (const twin of again) {
      const centre = twin.box.x + twin.box.width / 2;
      const face = plain.reduce((best, f) => (Math.abs(f.box.x + f.box.width / 2 - centre) < Math.abs(best.box.x + best.box.width / 2 - centre) ? f : best));
      const tolerance = face.box.width * 0.08;
      for (const key of ['leftEye', 'rightEye', 'nose', 'mouthLeft', 'mouthRight'] as const) {
        expect(Math.abs(twin.points[key].x - face.points[key].x)).toBeLessThan(tolerance);
        expect(Math.abs(twin.points[key].y - face.points[key].y)).toBeLessThan(tolerance);
      }
      expect(Math.abs(twin.box.x - face.box.x)).toBeLessThan(tolerance * 2);
    }
  }, 120_000);
});
