// The one description of the user's settings: the stored row's type, its defaults, the repair applied
// to whatever IndexedDB holds, and the strict form a backup file must meet all come from these fields.
import { z } from 'zod';
import { DEFAULT_RETENTION_DAYS } from '../domain/sightings.ts';

const FIELDS = {
  modelId: z.string().min(1).max(100).nullable(),
  /** null: the model's calibrated threshold. */
  threshold: z.number().gt(0).lte(4).nullable(),
  cameraId: z.string().max(1000).nullable(),
  mirror: z.enum(['auto', 'on', 'off']),
  backend: z.enum(['auto', 'webgl', 'wasm', 'cpu']),
  /** Whether sightings are logged at all. */
  historyEnabled: z.boolean(),
  /** Sightings older than this many days are deleted. */
  historyDays: z.number().int().min(1).max(3650),
  /** Whether a sighting keeps a small picture of the face (off by default: it is biometric data). */
  historyThumbnails: z.boolean(),
  /** Whether a trained personal head is used for matching. */
  headEnabled: z.boolean(),
  /** Anti-spoofing: refuse camera enrollment samples that look like a photo or screen. */
  spoofEnroll: z.boolean(),
  /** Anti-spoofing in the live view: "Photo?" instead of a name. */
  spoofLive: z.boolean(),
  /** Ask for a head turn before capturing enrollment samples from the camera. */
  headTurnChallenge: z.boolean(),
};

type Fields = typeof FIELDS;
export type Settings = { [K in keyof Fields]: z.infer<Fields[K]> };

export const DEFAULT_SETTING_VALUES: Settings = {
  modelId: null, threshold: null, cameraId: null, mirror: 'auto', backend: 'auto',
  historyEnabled: true, historyDays: DEFAULT_RETENTION_DAYS, historyThumbnails: false, headEnabled: true,
  spoofEnroll: true, spoofLive: false, headTurnChallenge: false,
};

const keys = Object.keys(FIELDS) as (keyof Fields)[];

/** What IndexedDB holds is repaired field by field: an unusable value falls back to its default, alone. */
const repairing = z.object(
  Object.fromEntries(keys.map((k) => [k, (FIELDS[k] as z.ZodType).catch(DEFAULT_SETTING_VALUES[k])])) as { [K in keyof Fields]: z.ZodCatch<Fields[K]> },
);

/**
 * A backup's settings: a field that is there must be valid (the file is refused otherwise); one that is
 * missing (a file from before the field existed) gets its default.
 */
export const backupSettingsSchema = z.object(
  Object.fromEntries(keys.map((k) => [k, (FIELDS[k] as z.ZodType).default(DEFAULT_SETTING_VALUES[k])])) as { [K in keyof Fields]: z.ZodDefault<Fields[K]> },
);

export function repairedSettings(stored: unknown): Settings {
  const parsed = repairing.safeParse(typeof stored === 'object' && stored !== null ? stored : {});
  return parsed.success ? parsed.data : { ...DEFAULT_SETTING_VALUES };
}
