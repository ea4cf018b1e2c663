// How a checked backup (backup.ts's readBackup) lands in the database, inside the repository's one
// write transaction: `replace` empties the database first and takes the file's settings; `merge` adds
// what is new by id and keeps every local record whose id the file also has, reporting those whose
// data differ.
import type { IDBPTransaction, StoreNames } from 'idb';
import type { VisageSchema, HeadRow, PersonRow, SettingsRow, StoredEmbeddingRow, StoredSampleRow, StoredSightingRow } from './schema.ts';
import type { ImportMode, ImportReport } from './backup.ts';

/** The file's rows, already sealed for this database's keys. */
export interface SealedImport {
  people: PersonRow[];
  samples: StoredSampleRow[];
  embeddings: StoredEmbeddingRow[];
  settings: SettingsRow;
  heads: HeadRow[];
  sightings: StoredSightingRow[];
}

export const IMPORT_STORES: StoreNames<VisageSchema>[] = ['people', 'samples', 'embeddings', 'settings', 'heads', 'sightings'];

export async function applyImport(tx: IDBPTransaction<VisageSchema, StoreNames<VisageSchema>[], 'readwrite'>, rows: SealedImport, mode: ImportMode, report: ImportReport): Promise<void> {
    const stores = {
      people: tx.objectStore('people'), samples: tx.objectStore('samples'), embeddings: tx.objectStore('embeddings'),
      heads: tx.objectStore('heads'), sightings: tx.objectStore('sightings'), settings: tx.objectStore('settings'),
    };
    if (mode === 'replace') {
      await Promise.all([stores.people.clear(), stores.samples.clear(), stores.embeddings.clear(), stores.heads.clear(), stores.sightings.clear()]);
      await stores.settings.put(rows.settings);
    }
    const skippedSamples = new Set<string>();
    for (const p of rows.people) {
      const local = mode === 'merge' ? await stores.people.get(p.id) : undefined;
      if (local) {
        if (local.name !== p.name) report.conflicts.push(`"${p.name}" in the file is "${local.name}" here: kept "${local.name}"`);
        continue;
      }
      await stores.people.put(p);
      report.peopleAdded += 1;
    }
    for (const s of rows.samples) {
      const local = mode === 'merge' ? await stores.samples.get(s.id) : undefined;
      if (local) {
        skippedSamples.add(s.id);
        if (local.personId !== s.personId) report.conflicts.push(`sample "${s.id}" belongs to another person here: kept the local one`);
        continue;
      }
      await stores.samples.put(s);
      report.samplesAdded += 1;
    }
    for (const e of rows.embeddings) {
      if (mode === 'merge' && (skippedSamples.has(e.sampleId) || (await stores.embeddings.get([e.sampleId, e.modelId])))) continue;
      await stores.embeddings.put(e);
    }
    for (const h of rows.heads) {
      if (mode === 'merge' && (await stores.heads.get(h.modelId))) continue;
      await stores.heads.put(h);
    }
    for (const s of rows.sightings) {
      if (mode === 'merge' && (await stores.sightings.get(s.id))) continue;
      await stores.sightings.put(s);
    }
}
