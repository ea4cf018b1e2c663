// The aligned face kept with each sample: re-embedding it (what a model switch does) gives back the
// embedding the live capture computed, for every face of a packaged sample photo.
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { squaredDistance } from '../../../src/domain/embedding.ts';
import { startVisionStack } from '../../../src/inference/vision-stack.ts';
import { MODELS_DIR, diskSource, samplePhoto } from '../support/node-models.ts';

describe('stored face', () => {
  it('re-embeds to the live embedding', async () => {
    const { analyzer } = await startVisionStack({ source: diskSource, modelsUrl: `${MODELS_DIR}/`, backend: 'wasm', embedder: 'dlib-resnet' });
    if (!analyzer) throw new Error('no analyzer');
    const image = samplePhoto('sample2.jpg');
    const captured = await analyzer.captureDetected(image, await analyzer.detect(image));
    image.dispose();
    expect(captured).toHaveLength(3);
    for (const face of captured) {
      const again = await analyzer.embedStoredFace(face.storedFace);
      face.storedFace.dispose();
      // Resampling alone moves it by about 10⁻⁴; a crop placed even slightly differently (another
      // alignment of the same face) by 2–7·10⁻³; same-person pairs sit near 0.1.
      expect(squaredDistance(again, face.embedding)).toBeLessThan(0.001);
    }
  }, 120_000);
});
