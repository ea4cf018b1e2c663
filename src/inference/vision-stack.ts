// Brings up everything the live view needs: manifest and verified model bytes (with progress) side by
// side with the tfjs backend -> detector -> embedder -> warm-up on a dummy frame. One entry for tab, worker and Node.
import * as tf from '@tensorflow/tfjs-core';
import { findModel, type ModelManifest } from '../domain/model-manifest.ts';
import { fetchVerifiedFiles, type LoadProgress, type ModelFileSource } from './verified-model-files.ts';
import { fetchLiveViewFiles, type LiveViewFiles } from './live-view-files.ts';
import { provideVerifiedFiles } from './verified-model-router.ts';
import { startBackend, type BackendReport } from './backend.ts';
import { FaceDetector, SPOOF_MODELS } from './face-detector.ts';
import { FaceAnalyzer } from './face-analyzer.ts';
import { STORED_FACE_SIZE } from './stored-face.ts';
import { loadEmbedder } from './embedders/load-embedder.ts';
import type { EmbedderId } from '../domain/embedder-specs.ts';
import type { BackendName } from '../domain/backend-choice.ts';

export interface VisionStack {
  manifest: ModelManifest;
  backend: BackendReport;
  detector: FaceDetector;
  /** Present when an embedder was asked for. */
  analyzer: FaceAnalyzer | null;
  /** Sum of the verified bytes this stack downloaded. */
  verifiedBytes: number;
  /**
   * When each start-up step ended, on this thread's clock (performance.now(): from the worker's creation,
   * or from the page's navigation): what the first-label benchmark breaks down.
   */
  startupMs: StartupTimeline;
}

/** Start-up steps in the order they end (the models and the backend load side by side). */
export type StartupStep = 'script' | 'renderer' | 'manifest' | 'models' | 'backend' | 'detector' | 'embedder' | 'warm-up';
export type StartupTimeline = Partial<Record<StartupStep, number>>;

export interface VisionStackOptions {
  /** Reads a path relative to the models folder. */
  source: ModelFileSource;
  /** URL of the models folder (for the wasm binaries), ending in '/'. */
  modelsUrl: string;
  backend?: BackendName;
  /** The WebGL renderer when the caller has asked already (asking again opens another context). */
  renderer?: string | null;
  /** The embedder to load with the detector (its bytes count in the same progress bar). */
  embedder?: EmbedderId;
  onProgress?: (p: LoadProgress) => void;
  /** The live view's files, already being read (the worker starts them before this code has loaded). */
  files?: Promise<LiveViewFiles>;
  /** Skip the warm-up on dummy input (the caller warms up its own way, e.g. by timing a live frame). */
  skipWarmUp?: boolean;
}

/** Verifies and loads Human's anti-spoofing models into the detector, for `eval spoof`'s comparison. */
export async function loadHumanSpoofModels(detector: FaceDetector, manifest: ModelManifest, source: ModelFileSource): Promise<void> {
  if (detector.canCheckSpoof) return;
  provideVerifiedFiles(await fetchVerifiedFiles(SPOOF_MODELS.flatMap((id) => findModel(manifest, id).files), source));
  await detector.loadSpoofCheck();
}

export async function startVisionStack(options: VisionStackOptions): Promise<VisionStack> {
  const startupMs: StartupTimeline = {};
  const ended = <T>(step: StartupStep, value: T): T => {
    startupMs[step] = Math.round(performance.now());
    return value;
  };
  // Reading and hashing the model files and fetching and compiling the tfjs wasm binary do not depend on
  // each other: side by side, the slower one sets the pace instead of their sum.
  const [files, backend] = await Promise.all([
    options.files ?? fetchLiveViewFiles(options.source, options.embedder, options.onProgress),
    startBackend(`${options.modelsUrl}wasm/`, options.backend, options.renderer).then((b) => ended('backend', b)),
  ]);
  const { manifest, verified } = files;
  Object.assign(startupMs, { manifest: files.at.manifest, models: files.at.models });
  provideVerifiedFiles(verified);
  const detector = ended('detector', await FaceDetector.create(backend.backend, `${options.modelsUrl}wasm/`));
  let analyzer: FaceAnalyzer | null = null;
  if (options.embedder) {
    // Already verified above, so this reads from memory; the flip choice comes from calibration.
    const embedder = await loadEmbedder(options.embedder, manifest, options.source, undefined, verified);
    analyzer = ended('embedder', new FaceAnalyzer(detector, embedder, findModel(manifest, options.embedder).calibration?.flip ?? false));
  }
  const stack = { manifest, backend, detector, analyzer, verifiedBytes: files.bytes, startupMs };
  if (options.skipWarmUp) return stack;
  // The first inference compiles shaders / wasm kernels: pay for it now, not on the first camera frame.
  const dummy = tf.zeros<tf.Rank.R4>([1, 256, 256, 3]);
  try {
    await detector.detect(dummy);
    detector.warmUpMesh();
  } finally {
    dummy.dispose();
  }
  if (analyzer) {
    const face = tf.zeros<tf.Rank.R3>([STORED_FACE_SIZE, STORED_FACE_SIZE, 3]);
    try {
      await analyzer.embedStoredFace(face);
    } finally {
      face.dispose();
    }
  }
  ended('warm-up', null);
  return stack;
}
