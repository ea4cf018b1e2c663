// Loads one embedder from the manifest: verified bytes first, then our dlib pass, our converted-graph
// pass or a tfjs graph model.
import { findModel, type ModelManifest } from '../../domain/model-manifest.ts';
import { fetchVerifiedFiles, type LoadProgress, type ModelFileSource } from '../verified-model-files.ts';
import { concatBuffers, provideVerifiedFiles, verifiedFile } from '../verified-model-router.ts';
import { EMBEDDERS, type EmbedderId } from '../../domain/embedder-specs.ts';
import { DlibResnetEmbedder, decodeDlibWeights } from './dlib-resnet.ts';
import { GraphEmbedder } from './graph-embedder.ts';
import { ArcfaceMobilefacenetEmbedder } from './arcface-mobilefacenet.ts';
import type { FaceEmbedder } from './face-embedder.ts';

export async function loadEmbedder(
  id: EmbedderId,
  manifest: ModelManifest,
  source: ModelFileSource,
  onProgress?: (p: LoadProgress) => void,
  /** Bytes verified earlier in the same load, so they are not fetched twice. */
  alreadyVerified?: Map<string, ArrayBuffer>,
): Promise<FaceEmbedder> {
  const entry = findModel(manifest, id);
  const have = entry.files.every((f) => alreadyVerified?.has(f.path));
  if (!have) provideVerifiedFiles(await fetchVerifiedFiles(entry.files, source, onProgress));
  const json = entry.files.find((f) => f.path.endsWith('.json'));
  if (!json) throw new Error(`${id} has no JSON file in the manifest`);
  if (entry.format === 'onnx-converted') {
    const data = concatBuffers(entry.files.filter((f) => f !== json).map((f) => verifiedFile(f.path)));
    return ArcfaceMobilefacenetEmbedder.fromFiles(verifiedFile(json.path), data, json.path);
  }
  if (entry.format === 'weights-manifest') {
    const data = concatBuffers(entry.files.filter((f) => f !== json).map((f) => verifiedFile(f.path)));
    return new DlibResnetEmbedder(decodeDlibWeights(verifiedFile(json.path), data));
  }
  return GraphEmbedder.load(EMBEDDERS[id], json.path);
}
