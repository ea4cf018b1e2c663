// The shape of public/models/manifest.json and its validation: the one description of every model file.

export type ModelRole = 'detector' | 'landmarks' | 'embedder' | 'antispoof' | 'liveness';
export type ChannelOrder = 'RGB' | 'BGR';
/** A tfjs graph model, face-api's weights manifest (our dlib pass), or an ONNX file converted at install. */
export type ModelFormat = 'graph-model' | 'weights-manifest' | 'onnx-converted';
const FORMATS: readonly string[] = ['graph-model', 'weights-manifest', 'onnx-converted'];

export interface ManifestFile {
  /** Path relative to the models folder. */
  path: string;
  bytes: number;
  sha256: string;
}

/** The 1:N decision policy fitted by `npm run eval -- calibrate`, with where it came from. */
export interface Calibration {
  /** Largest squared distance to the nearest person that still names them. */
  threshold: number;
  /** How much nearer than the second-nearest person the nearest must be. */
  minMargin: number;
  /** Whether embeddings average the face with its mirror image (kept only where it helped). */
  flip: boolean;
  /** The false-positive identification rate the policy was fitted for. */
  fpir: number;
  /** Detection-and-identification rate measured at that policy on held-out data. */
  dir: number;
  data: string;
  date: string;
}

export interface ModelEntry {
  id: string;
  role: ModelRole;
  format: ModelFormat;
  /** package@version it was copied from. */
  source: string;
  /** For 'onnx-converted': the ONNX file inside the package and its pinned sha256. */
  converted?: { from: string; sha256: string };
  files: ManifestFile[];
  inputSize: [number, number];
  valueRange: [number, number];
  channelOrder: ChannelOrder;
  outputDims: number[];
  licence: string;
  notes: string;
  calibration?: Calibration;
}

export interface ModelManifest {
  manifestVersion: 1;
  /** sha256 over every file's hash: changes whenever any served byte changes (cache key). */
  contentHash: string;
  models: ModelEntry[];
  runtime: { source: string; licence: string; files: ManifestFile[] };
}

const ROLES: readonly string[] = ['detector', 'landmarks', 'embedder', 'antispoof', 'liveness'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isFile(v: unknown): v is ManifestFile {
  return isRecord(v) && typeof v.path === 'string' && !v.path.includes('..') &&
    typeof v.bytes === 'number' && Number.isInteger(v.bytes) && v.bytes > 0 &&
    typeof v.sha256 === 'string' && /^[0-9a-f]{64}$/.test(v.sha256);
}

function isPair(v: unknown): v is [number, number] {
  return Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number');
}

/** Checks a parsed manifest; throws an Error naming the first bad field (a corrupt manifest must not half-load). */
export function parseModelManifest(raw: unknown): ModelManifest {
  const fail = (what: string): never => {
    throw new Error(`models/manifest.json is invalid: ${what}`);
  };
  if (!isRecord(raw)) return fail('not an object');
  if (raw.manifestVersion !== 1) return fail(`unsupported manifestVersion ${String(raw.manifestVersion)}`);
  if (typeof raw.contentHash !== 'string') return fail('contentHash missing');
  if (!Array.isArray(raw.models)) return fail('models is not a list');
  const ids = new Set<string>();
  for (const [i, m] of raw.models.entries()) {
    if (!isRecord(m) || typeof m.id !== 'string') return fail(`models[${i}] has no id`);
    if (ids.has(m.id)) return fail(`model id ${m.id} appears twice`);
    ids.add(m.id);
    if (typeof m.role !== 'string' || !ROLES.includes(m.role)) return fail(`${m.id}: unknown role`);
    if (typeof m.format !== 'string' || !FORMATS.includes(m.format)) return fail(`${m.id}: unknown format`);
    if (!Array.isArray(m.files) || m.files.length === 0 || !m.files.every(isFile)) return fail(`${m.id}: bad files`);
    if (!isPair(m.inputSize) || !isPair(m.valueRange)) return fail(`${m.id}: bad input description`);
    if (m.channelOrder !== 'RGB' && m.channelOrder !== 'BGR') return fail(`${m.id}: bad channelOrder`);
    if (!Array.isArray(m.outputDims)) return fail(`${m.id}: bad outputDims`);
    if (m.calibration !== undefined) {
      const c = m.calibration;
      const ok = isRecord(c) && typeof c.threshold === 'number' && c.threshold > 0 && c.threshold <= 4 &&
        typeof c.minMargin === 'number' && c.minMargin >= 0 && typeof c.flip === 'boolean';
      if (!ok) return fail(`${m.id}: bad calibration`);
    }
  }
  const runtime = raw.runtime;
  if (!isRecord(runtime) || !Array.isArray(runtime.files) || !runtime.files.every(isFile)) return fail('bad runtime files');
  return raw as unknown as ModelManifest;
}

export function findModel(manifest: ModelManifest, id: string): ModelEntry {
  const entry = manifest.models.find((m) => m.id === id);
  if (!entry) throw new Error(`Model "${id}" is not in models/manifest.json`);
  return entry;
}
