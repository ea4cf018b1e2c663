// The service worker's model cache plan against the real committed manifest and hand-made damaged ones.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hexOf, modelCachePlan, modelPathOf, staleModelCaches } from '../../../src/pwa/model-cache.ts';

const manifest = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../public/models/manifest.json'), 'utf8')) as {
  contentHash: string;
  models: { id: string; files: { path: string; sha256: string }[] }[];
  runtime: { files: { path: string; sha256: string }[] };
};

describe('model cache plan', () => {
  it('names the cache after the manifest content and knows every file with its sha256', () => {
    const plan = modelCachePlan(manifest);
    expect(plan.cacheName).toBe(`visage-models-${manifest.contentHash.slice(0, 16)}`);
    const all = [...manifest.models.flatMap((m) => m.files), ...manifest.runtime.files];
    expect(plan.sha256ByPath.size).toBe(all.length);
    for (const f of all) expect(plan.sha256ByPath.get(f.path)).toBe(f.sha256);
  });

  it('fetches ahead exactly the detector, landmarks, default embedder, replay check and the SIMD wasm', () => {
    const plan = modelCachePlan(manifest);
    const expected = manifest.models.filter((m) => ['blazeface', 'facemesh', 'arcface-mobilefacenet', 'faceplugin-liveness'].includes(m.id)).flatMap((m) => m.files.map((f) => f.path));
    expect([...plan.corePaths].sort()).toEqual([...expected, 'wasm/tfjs-backend-wasm-simd.wasm'].sort());
  });

  it('a changed model byte gives a new cache name', () => {
    const changed = { ...manifest, contentHash: createHash('sha256').update('other').digest('hex') };
    expect(modelCachePlan(changed).cacheName).not.toBe(modelCachePlan(manifest).cacheName);
  });

  it('refuses a manifest it cannot trust', () => {
    expect(() => modelCachePlan(null)).toThrow(/not an object/);
    expect(() => modelCachePlan({ ...manifest, contentHash: 'x' })).toThrow(/contentHash: is not a hash/);
    expect(() => modelCachePlan({ ...manifest, models: undefined })).toThrow(/models/);
    const badHash = structuredClone(manifest);
    if (badHash.models[0]?.files[0]) badHash.models[0].files[0].sha256 = 'nothex';
    expect(() => modelCachePlan(badHash)).toThrow(/models\.0\.files\.0\.sha256: is not a sha256/);
  });

  it('deletes only our older model caches', () => {
    expect(staleModelCaches(['visage-models-aaaa', 'visage-models-bbbb', 'workbox-precache-v2-x', 'other'], 'visage-models-bbbb')).toEqual(['visage-models-aaaa']);
  });

  it('recognises model file URLs under the models folder, at any sub-path', () => {
    const base = 'https://host.example/visage/models/';
    expect(modelPathOf('https://host.example/visage/models/blazeface.bin', base)).toBe('blazeface.bin');
    expect(modelPathOf('https://host.example/visage/models/wasm/tfjs-backend-wasm-simd.wasm', base)).toBe('wasm/tfjs-backend-wasm-simd.wasm');
    // The manifest is versioned with the shell; other folders are not models.
    expect(modelPathOf('https://host.example/visage/models/manifest.json', base)).toBeNull();
    expect(modelPathOf('https://host.example/visage/assets/index.js', base)).toBeNull();
    expect(modelPathOf('https://host.example/models/blazeface.bin', base)).toBeNull();
  });

  it('writes digests as the manifest does', () => {
    const bytes = new TextEncoder().encode('visage');
    expect(hexOf(new Uint8Array(createHash('sha256').update(bytes).digest()).buffer)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});
