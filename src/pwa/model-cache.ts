// Which model files the service worker keeps, under which cache name, and what bytes they must have.
// Pure: the service worker and the unit tests share it, and it reads the manifest through the same
// schema as the model loader (domain/model-manifest.ts). The manifest is the app's own (precached with
// the shell), so the code and the models it expects always come from the same version.

import { parseModelManifest } from '../domain/model-manifest.ts';

export const MODEL_CACHE_PREFIX = 'visage-models-';

/** Models every start needs (with the default embedder), and the camera-enrollment replay check (on by default): cached when the service worker installs. */
const CORE_MODEL_IDS = new Set(['blazeface', 'facemesh', 'arcface-mobilefacenet', 'faceplugin-liveness']);

export interface ModelCachePlan {
  /** One cache per manifest content: a new model byte anywhere gives a new cache. */
  cacheName: string;
  /** sha256 (hex) of every file the manifest names, by path relative to the models folder. */
  sha256ByPath: ReadonlyMap<string, string>;
  /** Paths fetched ahead at install so the first offline start has them; the rest are cached on use. */
  corePaths: readonly string[];
}

/** Reads the parts of models/manifest.json the cache needs; throws on anything it cannot trust. */
export function modelCachePlan(raw: unknown): ModelCachePlan {
  const manifest = parseModelManifest(raw);
  const sha256ByPath = new Map<string, string>();
  const corePaths: string[] = [];
  for (const model of manifest.models) {
    for (const file of model.files) {
      sha256ByPath.set(file.path, file.sha256);
      if (CORE_MODEL_IDS.has(model.id)) corePaths.push(file.path);
    }
  }
  for (const file of manifest.runtime.files) {
    sha256ByPath.set(file.path, file.sha256);
    // Only the SIMD build is fetched without cross-origin isolation; the others are cached if asked for.
    if (file.path.endsWith('-wasm-simd.wasm')) corePaths.push(file.path);
  }
  return { cacheName: `${MODEL_CACHE_PREFIX}${manifest.contentHash.slice(0, 16)}`, sha256ByPath, corePaths };
}

/** Model caches left by earlier versions: deleted when a new service worker takes over. */
export function staleModelCaches(cacheNames: readonly string[], current: string): string[] {
  return cacheNames.filter((name) => name.startsWith(MODEL_CACHE_PREFIX) && name !== current);
}

/**
 * The path of a model file relative to the models folder, or null when the URL is not one
 * (the manifest itself is versioned with the app shell, not here).
 */
export function modelPathOf(url: string, modelsBase: string): string | null {
  if (!url.startsWith(modelsBase)) return null;
  const path = decodeURIComponent(new URL(url).pathname.slice(new URL(modelsBase).pathname.length));
  if (path === '' || path === 'manifest.json' || path.split('/').includes('..')) return null;
  return path;
}

/** Lower-case hex of a SHA-256 digest, as the manifest writes it. */
export function hexOf(digest: ArrayBuffer): string {
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
