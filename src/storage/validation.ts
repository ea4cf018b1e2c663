// Everything read from IndexedDB is checked before the app uses it: a row damaged by an old version, a
// manual edit or a bug is skipped and counted, never allowed to crash recognition.
import type { FaceQuality } from '../domain/quality-gates.ts';
import { validHead } from '../domain/personal-head.ts';
import { DEFAULT_SETTING_VALUES, repairedSettings } from './settings-schema.ts';
import type { EmbeddingRow, HeadRow, PersonRow, SampleRow, SettingsRow, SightingRow } from './schema.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 100;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export function validPerson(v: unknown): v is PersonRow {
  return isRecord(v) && isId(v.id) && typeof v.name === 'string' && v.name.length > 0 && isTime(v.createdAt) && isTime(v.updatedAt);
}

function validQuality(v: unknown): v is FaceQuality {
  return isRecord(v) && ['faceCount', 'faceSize', 'yawDeg', 'pitchDeg', 'sharpness', 'detectorScore'].every((k) => typeof v[k] === 'number');
}

export function validSample(v: unknown): v is SampleRow {
  return isRecord(v) && isId(v.id) && isId(v.personId) && v.thumbnail instanceof Blob && validQuality(v.quality) && isTime(v.createdAt);
}

export function validEmbedding(v: unknown, dims?: number): v is EmbeddingRow {
  if (!isRecord(v) || !isId(v.sampleId) || !isId(v.personId) || !isId(v.modelId) || !(v.vector instanceof Float32Array)) return false;
  if (dims !== undefined && v.vector.length !== dims) return false;
  let norm = 0;
  for (const x of v.vector) {
    if (!Number.isFinite(x)) return false;
    norm += x * x;
  }
  return Math.abs(norm - 1) < 1e-3;
}

export function validSighting(v: unknown): v is SightingRow {
  return isRecord(v) && isId(v.id) && (v.personId === null || isId(v.personId)) && isTime(v.firstSeen) && isTime(v.lastSeen)
    && v.lastSeen >= v.firstSeen && typeof v.bestDistance === 'number' && !Number.isNaN(v.bestDistance)
    && (v.thumbnail === null || v.thumbnail instanceof Blob);
}

export function validHeadRow(v: unknown, modelId: string, dims: number): v is HeadRow {
  return isRecord(v) && v.weights instanceof Float32Array && v.bias instanceof Float32Array && isTime(v.trainedAt) && isRecord(v.report)
    && validHead(v as unknown as HeadRow, modelId, dims);
}

export const DEFAULT_SETTINGS: SettingsRow = { key: 'settings', ...DEFAULT_SETTING_VALUES };

/** Settings with every unusable field replaced by its default (settings-schema.ts). */
export function repairSettings(v: unknown): SettingsRow {
  return { key: 'settings', ...repairedSettings(v) };
}
