// Export and import of the whole database. An import is read and checked completely (size, JSON, format
// and version, schema, then meaning: names, references, duplicates, models, vectors, images) before the
// database is touched; then it is written in one transaction, merged by person id or replacing all.
import { cleanName } from '../domain/people.ts';
import { validHead } from '../domain/personal-head.ts';
import {
  BACKUP_FORMAT, BACKUP_VERSION, backupSchema, floatsFromBase64, floatsToBase64, fromBase64, looksLikeImage, MAX_BACKUP_BYTES, toBase64,
  type BackupFile,
} from './backup-format.ts';
import type { EmbeddingRow, HeadRow, PersonRow, SampleRow, SettingsRow, SightingRow } from './schema.ts';
import type { HeadReport } from '../domain/head-validation.ts';
import { isSealedBackup, openBackup } from './sealed-backup.ts';

/** Everything in the database, as rows. */
export interface DatabaseRows {
  people: PersonRow[];
  samples: SampleRow[];
  embeddings: EmbeddingRow[];
  settings: SettingsRow;
  heads: HeadRow[];
  sightings: SightingRow[];
}

export type ImportMode = 'merge' | 'replace';

export interface ImportReport {
  mode: ImportMode;
  peopleAdded: number;
  samplesAdded: number;
  /** People (or samples) whose id exists here already with other data: the local record was kept. */
  conflicts: string[];
}

/** The model ids this app knows, with their embedding lengths. */
export type KnownModels = Readonly<Record<string, number>>;

/** Thumbnails are 224- or 240-px JPEGs (~15 KB); anything far bigger is not one of ours. */
const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

async function imageOf(blob: Blob): Promise<{ type: 'image/jpeg' | 'image/png' | 'image/webp'; data: string }> {
  const type = blob.type === 'image/png' || blob.type === 'image/webp' ? blob.type : 'image/jpeg';
  return { type, data: toBase64(new Uint8Array(await blob.arrayBuffer())) };
}

export async function backupOf(rows: DatabaseRows, now = new Date()): Promise<BackupFile> {
  const { key: _key, ...settings } = rows.settings;
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: now.toISOString(),
    people: rows.people.map(({ id, name, createdAt, updatedAt }) => ({ id, name, createdAt, updatedAt })),
    samples: await Promise.all(rows.samples.map(async (s) => ({ id: s.id, personId: s.personId, createdAt: s.createdAt, quality: s.quality, thumbnail: await imageOf(s.thumbnail) }))),
    embeddings: rows.embeddings.map((e) => ({ sampleId: e.sampleId, personId: e.personId, modelId: e.modelId, vector: floatsToBase64(e.vector) })),
    settings,
    heads: rows.heads.map((h) => ({ modelId: h.modelId, dims: h.dims, weights: floatsToBase64(h.weights), bias: floatsToBase64(h.bias), trainedAt: h.trainedAt, report: { ...h.report } })),
    sightings: await Promise.all(rows.sightings.map(async (s) => ({
      id: s.id, personId: s.personId, firstSeen: s.firstSeen, lastSeen: s.lastSeen,
      // JSON has no Infinity: a stranger seen while nobody was enrolled has no distance.
      bestDistance: Number.isFinite(s.bestDistance) ? s.bestDistance : null,
      thumbnail: s.thumbnail ? await imageOf(s.thumbnail) : null,
    }))),
  };
}

/** needsPassphrase: the file is encrypted; read it again with its passphrase. */
export type ReadResult = { ok: true; rows: DatabaseRows } | { ok: false; message: string; needsPassphrase?: boolean };

const refuse = (message: string): ReadResult => ({ ok: false, message });

function firstDuplicate(values: readonly string[]): string | null {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) return v;
    seen.add(v);
  }
  return null;
}

/** The image bytes as a Blob, or why they are not an image. */
function imageBlob(img: { type: string; data: string }, what: string): Blob | string {
  const bytes = fromBase64(img.data);
  if (bytes.length > MAX_IMAGE_BYTES) return `${what} is ${(bytes.length / 1e6).toFixed(1)} MB, too big for a face picture`;
  if (!looksLikeImage(bytes, img.type)) return `${what} is not a ${img.type.slice(6).toUpperCase()} image`;
  return new Blob([bytes], { type: img.type });
}

/** The checks of meaning that a schema cannot express. */
function rowsOf(file: BackupFile, models: KnownModels): ReadResult {
  const dupes: [string, string[]][] = [
    ['person id', file.people.map((p) => p.id)],
    ['sample id', file.samples.map((s) => s.id)],
    ['embedding', file.embeddings.map((e) => `${e.sampleId} / ${e.modelId}`)],
    ['sighting id', file.sightings.map((s) => s.id)],
    ['personal head model', file.heads.map((h) => h.modelId)],
  ];
  for (const [what, values] of dupes) {
    const d = firstDuplicate(values);
    if (d !== null) return refuse(`The file lists the ${what} "${d}" twice.`);
  }
  const people: PersonRow[] = [];
  for (const [i, p] of file.people.entries()) {
    const name = cleanName(p.name);
    if (!name.ok) return refuse(`Person ${i + 1} has an unusable name: ${name.message}`);
    people.push({ id: p.id, name: name.name, createdAt: p.createdAt, updatedAt: p.updatedAt });
  }
  const personIds = new Set(people.map((p) => p.id));
  const samples: SampleRow[] = [];
  for (const s of file.samples) {
    if (!personIds.has(s.personId)) return refuse(`Sample "${s.id}" belongs to a person who is not in the file.`);
    const thumbnail = imageBlob(s.thumbnail, `The picture of sample "${s.id}"`);
    if (typeof thumbnail === 'string') return refuse(`${thumbnail}.`);
    samples.push({ id: s.id, personId: s.personId, createdAt: s.createdAt, quality: s.quality, thumbnail });
  }
  const owner = new Map(samples.map((s) => [s.id, s.personId]));
  const embeddings: EmbeddingRow[] = [];
  for (const e of file.embeddings) {
    const dims = models[e.modelId];
    if (dims === undefined) return refuse(`The file has embeddings of an unknown model "${e.modelId}".`);
    if (owner.get(e.sampleId) !== e.personId) return refuse(`An embedding refers to sample "${e.sampleId}" of "${e.personId}", which is not in the file.`);
    const vector = floatsFromBase64(e.vector);
    if (!vector || vector.length !== dims) return refuse(`An embedding of sample "${e.sampleId}" has ${vector ? vector.length : 'a broken'} values; ${e.modelId} has ${dims}.`);
    let norm = 0;
    for (const x of vector) norm += x * x;
    if (!vector.every(Number.isFinite)) return refuse(`An embedding of sample "${e.sampleId}" holds NaN or Infinity.`);
    if (Math.abs(norm - 1) > 1e-3) return refuse(`An embedding of sample "${e.sampleId}" is not a unit vector.`);
    embeddings.push({ sampleId: e.sampleId, personId: e.personId, modelId: e.modelId, vector });
  }
  if (file.settings.modelId !== null && models[file.settings.modelId] === undefined) return refuse(`The settings name an unknown model "${file.settings.modelId}".`);
  const heads: HeadRow[] = [];
  for (const h of file.heads) {
    const weights = floatsFromBase64(h.weights);
    const bias = floatsFromBase64(h.bias);
    const head = { modelId: h.modelId, dims: h.dims, weights: weights ?? new Float32Array(), bias: bias ?? new Float32Array() };
    if (models[h.modelId] === undefined || !validHead(head, h.modelId, models[h.modelId] ?? 0)) return refuse(`The personal head for "${h.modelId}" does not fit that model.`);
    heads.push({ ...head, trainedAt: h.trainedAt, report: h.report as unknown as HeadReport });
  }
  const sightings: SightingRow[] = [];
  for (const s of file.sightings) {
    if (s.personId !== null && !personIds.has(s.personId)) return refuse(`Sighting "${s.id}" is of a person who is not in the file.`);
    if (s.lastSeen < s.firstSeen) return refuse(`Sighting "${s.id}" ends before it starts.`);
    const thumbnail = s.thumbnail ? imageBlob(s.thumbnail, `The picture of sighting "${s.id}"`) : null;
    if (typeof thumbnail === 'string') return refuse(`${thumbnail}.`);
    sightings.push({ id: s.id, personId: s.personId, firstSeen: s.firstSeen, lastSeen: s.lastSeen, bestDistance: s.bestDistance ?? Number.POSITIVE_INFINITY, thumbnail });
  }
  return { ok: true, rows: { people, samples, embeddings, settings: { key: 'settings', ...file.settings }, heads, sightings } };
}

/** Where in the file a schema problem is, in words. */
function describeIssue(path: readonly PropertyKey[], message: string): string {
  const at = path.map((p) => (typeof p === 'number' ? `[${p + 1}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  return at ? `${at}: ${message}` : message;
}

/** Reads an export file completely (opening it with the passphrase when it is encrypted); nothing is written. */
export async function readBackup(file: Blob, models: KnownModels, passphrase?: string): Promise<ReadResult> {
  if (file.size > MAX_BACKUP_BYTES) {
    return refuse(`The file is ${(file.size / 1e6).toFixed(0)} MB; a Visage backup is at most ${MAX_BACKUP_BYTES / 1e6} MB. Nothing was imported.`);
  }
  const name = file instanceof File && file.name ? `${file.name} ` : 'The file ';
  const text = await file.text();
  // A backup is JSON text: a photo or any other binary file says so by its first bytes. JSON.parse's own
  // message would quote them back as mojibake.
  if (!/^\s*[{[]/.test(text)) return refuse(`${name}is not a Visage backup (those are .json files made by Export). Nothing was imported.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refuse(`${name}is not valid JSON: it may be cut short or damaged. Nothing was imported.`);
  }
  if (isSealedBackup(json)) {
    if (passphrase === undefined) return { ok: false, needsPassphrase: true, message: 'This backup is encrypted: enter its passphrase.' };
    const opened = await openBackup(json, passphrase);
    if (!opened.ok) return { ok: false, needsPassphrase: true, message: `${opened.message} Nothing was imported.` };
    json = opened.json;
  }
  const head = json as { format?: unknown; version?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.format !== BACKUP_FORMAT) return refuse('This is not a Visage backup file. Nothing was imported.');
  if (typeof head.version === 'number' && head.version > BACKUP_VERSION) {
    return refuse(`This backup was made by a newer Visage (format ${head.version}; this one reads ${BACKUP_VERSION}). Update the app, then import it. Nothing was imported.`);
  }
  if (head.version !== BACKUP_VERSION) return refuse(`This backup has an unknown format version (${JSON.stringify(head.version)}). Nothing was imported.`);
  const parsed = backupSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(`The backup is damaged: ${issue ? describeIssue(issue.path, issue.message) : 'unreadable'}. Nothing was imported.`);
  }
  const rows = rowsOf(parsed.data, models);
  return rows.ok ? rows : refuse(`${rows.message} Nothing was imported.`);
}
