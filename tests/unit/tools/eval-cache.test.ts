// The eval tool's caches are named by everything that shapes their contents, the model files' bytes
// included: after a package update (same model id, new weights) a rerun must embed afresh, not serve
// figures of the old weights.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectionCacheFile, embeddingCacheFile } from '../../../tools/eval/face-store.ts';
import { parseModelManifest, type ModelManifest } from '../../../src/domain/model-manifest.ts';
import { MODELS_DIR } from '../support/node-models.ts';

const shipped = parseModelManifest(JSON.parse(readFileSync(join(MODELS_DIR, 'manifest.json'), 'utf8')));

/** The manifest with one model's first file pinned to other bytes. */
function withNewWeights(manifest: ModelManifest, id: string): ModelManifest {
  return {
    ...manifest,
    models: manifest.models.map((m) => (m.id === id ? { ...m, files: m.files.map((f, i) => (i === 0 ? { ...f, sha256: 'f'.repeat(64) } : f)) } : m)),
  };
}

describe('eval caches', () => {
  it('keep their names while nothing changes', () => {
    expect(embeddingCacheFile(shipped, 'dlib-resnet', 0)).toBe(embeddingCacheFile(structuredClone(shipped), 'dlib-resnet', 0));
    expect(embeddingCacheFile(shipped, 'dlib-resnet', 0)).not.toBe(embeddingCacheFile(shipped, 'dlib-resnet', 30));
  });

  it("start afresh for a model whose weights changed, and only for that model", () => {
    const updated = withNewWeights(shipped, 'dlib-resnet');
    expect(embeddingCacheFile(updated, 'dlib-resnet', 0)).not.toBe(embeddingCacheFile(shipped, 'dlib-resnet', 0));
    expect(embeddingCacheFile(updated, 'faceres', 0)).toBe(embeddingCacheFile(shipped, 'faceres', 0));
    expect(detectionCacheFile(updated, 0)).toBe(detectionCacheFile(shipped, 0));
  });

  it('start afresh everywhere when the detector or landmark weights changed', () => {
    for (const id of ['blazeface', 'facemesh']) {
      const updated = withNewWeights(shipped, id);
      expect(detectionCacheFile(updated, 0)).not.toBe(detectionCacheFile(shipped, 0));
      for (const model of ['dlib-resnet', 'faceres', 'mobileface'] as const) {
        expect(embeddingCacheFile(updated, model, 0)).not.toBe(embeddingCacheFile(shipped, model, 0));
      }
    }
  });
});
