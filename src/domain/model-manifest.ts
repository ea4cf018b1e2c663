// The shape of public/models/manifest.json, the one description of every model file: a zod schema that
// both the model loader (src/inference) and the service worker (src/pwa) check the file against.
import { z } from 'zod';

const ROLES = ['detector', 'landmarks', 'embedder', 'replay-check', 'antispoof', 'liveness'] as const;
/** A tfjs graph model, face-api's weights manifest (our dlib pass), or an ONNX file converted at install. */
const FORMATS = ['graph-model', 'weights-manifest', 'onnx-converted'] as const;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'is not a sha256');

const manifestFileSchema = z.object({
  /** Path relative to the models folder: it may not climb out of it. */
  path: z.string().min(1).refine((p) => !p.split('/').includes('..'), 'leaves the models folder'),
  bytes: z.number().int().positive(),
  sha256,
});

/** The 1:N decision policy fitted by `npm run eval -- calibrate`, with where it came from. */
const calibrationSchema = z.object({
  /** Largest squared distance to the nearest person that still names them. */
  threshold: z.number().gt(0).lte(4),
  /** How much nearer than the second-nearest person the nearest must be. */
  minMargin: z.number().nonnegative(),
  /** Whether embeddings average the face with its mirror image (kept only where it helped). */
  flip: z.boolean(),
  /** The false-positive identification rate the policy was fitted for. */
  fpir: z.number(),
  /** Detection-and-identification rate measured at that policy on held-out data. */
  dir: z.number(),
  data: z.string(),
  date: z.string(),
});

const pair = z.tuple([z.number(), z.number()]);

const modelEntrySchema = z.object({
  id: z.string().min(1),
  /** 'replay-check': is this a person in front of the camera, or a photo or screen held up to it. */
  role: z.enum(ROLES),
  format: z.enum(FORMATS),
  /** package@version it was copied from. */
  source: z.string(),
  /** For 'onnx-converted': the ONNX file inside the package and its pinned sha256. */
  converted: z.object({ from: z.string(), sha256 }).optional(),
  files: z.array(manifestFileSchema).min(1),
  inputSize: pair,
  valueRange: pair,
  channelOrder: z.enum(['RGB', 'BGR']),
  outputDims: z.array(z.number()),
  licence: z.string(),
  notes: z.string(),
  calibration: calibrationSchema.optional(),
});

export const modelManifestSchema = z.object({
  manifestVersion: z.literal(1),
  /** sha256 over every file's hash: changes whenever any served byte changes (cache key). */
  contentHash: z.string().regex(/^[0-9a-f]{16,}$/, 'is not a hash'),
  models: z.array(modelEntrySchema).superRefine((models, ctx) => {
    const seen = new Set<string>();
    for (const m of models) {
      if (seen.has(m.id)) ctx.addIssue({ code: 'custom', message: `model id ${m.id} appears twice` });
      seen.add(m.id);
    }
  }),
  runtime: z.object({ source: z.string(), licence: z.string(), files: z.array(manifestFileSchema) }),
});

export type ModelManifest = z.infer<typeof modelManifestSchema>;
export type ModelEntry = ModelManifest['models'][number];
export type ManifestFile = ModelEntry['files'][number];
export type Calibration = NonNullable<ModelEntry['calibration']>;
export type ModelRole = ModelEntry['role'];
export type ModelFormat = ModelEntry['format'];
export type ChannelOrder = ModelEntry['channelOrder'];

/** Checks a parsed manifest; throws an Error naming the first bad field (a corrupt manifest must not half-load). */
export function parseModelManifest(raw: unknown): ModelManifest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('models/manifest.json is invalid: not an object');
  const parsed = modelManifestSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new Error(`models/manifest.json is invalid: ${where}${issue?.message ?? 'unreadable'}`);
}

export function findModel(manifest: ModelManifest, id: string): ModelEntry {
  const entry = manifest.models.find((m) => m.id === id);
  if (!entry) throw new Error(`Model "${id}" is not in models/manifest.json`);
  return entry;
}
