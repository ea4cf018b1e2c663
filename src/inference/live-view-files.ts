// The model files the live view cannot start without, read and sha256-checked with nothing but fetch
// and WebCrypto: the inference worker starts this before its heavy script (tfjs, Human: 1.6 MB, ~0.5 s
// to load here) has arrived, so reading 9 MB of models overlaps loading the code that will use them.
import { findModel, parseModelManifest, type ModelManifest } from '../domain/model-manifest.ts';
import { fetchVerifiedFiles, type LoadProgress, type ModelFileSource } from './verified-model-files.ts';

/** Models the live view cannot start without; embedders and anti-spoofing load when first needed. */
export const LIVE_VIEW_MODELS = ['blazeface', 'facemesh'] as const;

export async function loadManifest(source: ModelFileSource): Promise<ModelManifest> {
  const response = await source('manifest.json');
  if (!response.ok) throw new Error(`models/manifest.json is missing (HTTP ${response.status})`);
  let raw: unknown;
  try {
    raw = await response.json();
  } catch {
    throw new Error('models/manifest.json is not valid JSON');
  }
  return parseModelManifest(raw);
}

export interface LiveViewFiles {
  manifest: ModelManifest;
  /** Verified bytes by path: the detector's, the mesh's and the embedder's. */
  verified: Map<string, ArrayBuffer>;
  /** Their total size. */
  bytes: number;
  /** When the manifest and the files were in hand (performance.now() of this thread). */
  at: { manifest: number; models: number };
}

export async function fetchLiveViewFiles(source: ModelFileSource, embedder: string | undefined, onProgress?: (p: LoadProgress) => void): Promise<LiveViewFiles> {
  const manifest = await loadManifest(source);
  const manifestAt = performance.now();
  const ids: string[] = [...LIVE_VIEW_MODELS, ...(embedder ? [embedder] : [])];
  const files = ids.flatMap((id) => findModel(manifest, id).files);
  const verified = await fetchVerifiedFiles(files, source, onProgress);
  return { manifest, verified, bytes: files.reduce((n, f) => n + f.bytes, 0), at: { manifest: Math.round(manifestAt), models: Math.round(performance.now()) } };
}
