// The re-encryption pass after a passphrase is set, changed or removed. It walks the face data in small
// batches, each read and then written in its own transaction (WebCrypto cannot run inside one), and
// rewrites only the field it sealed, only if nobody changed it meanwhile. Interrupted anywhere (tab
// closed, crash), it resumes at the next unlock: the vault keeps every data key a row may still use until
// a final check, in one transaction with the vault, finds every row on the current key.
import type { IDBPDatabase } from 'idb';
import type { VisageSchema } from './schema.ts';
import { fieldIsCurrent, sameField, SEALED_STORES, type Ring } from './sealed-rows.ts';
import { LockedError } from './vault.ts';

const BATCH = 64;
type SealedStore = keyof typeof SEALED_STORES;
const STORES = Object.keys(SEALED_STORES) as SealedStore[];
type AnyRow = Record<string, unknown>;

export class KeyChangedError extends Error {
  constructor() {
    super('The passphrase was changed in another tab: enter it again. Nothing was saved.');
    this.name = 'KeyChangedError';
  }
}

/** Whether this keyring writes what the vault row says (no vault: no keyring needed). */
export function ringFitsVault(vault: { current: number | null } | undefined, ring: Ring): boolean {
  if (!vault) return ring === null || ring.current === null;
  return ring !== null && ring.current === vault.current;
}

export type ReencryptionProgress = (done: number, total: number) => void;

/** One batch of one store: reseal the stale rows, then write back those still unchanged. */
async function passBatch(db: IDBPDatabase<VisageSchema>, name: SealedStore, after: IDBValidKey | undefined, ring: Ring, damaged: Set<string>): Promise<{ last: IDBValidKey; count: number } | null> {
  const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true);
  const read = db.transaction(name, 'readonly').objectStore(name);
  const [keys, rows] = await Promise.all([read.getAllKeys(range, BATCH), read.getAll(range, BATCH)]);
  const last = keys[keys.length - 1];
  if (last === undefined) return null;
  const { field, reseal } = SEALED_STORES[name];
  const resealed: { key: IDBValidKey; old: unknown; value: unknown }[] = [];
  for (const [i, row] of (rows as AnyRow[]).entries()) {
    if (fieldIsCurrent(row[field], ring)) continue;
    try {
      const next = (await (reseal as unknown as (r: AnyRow, ring: Ring) => Promise<AnyRow>)(row, ring))[field];
      resealed.push({ key: keys[i] as IDBValidKey, old: row[field], value: next });
    } catch (e) {
      if (e instanceof LockedError) throw e;
      damaged.add(`${name} ${JSON.stringify(keys[i])}`); // unreadable already: left as it is, counted
    }
  }
  if (resealed.length > 0) {
    const tx = db.transaction([name, 'vault'], 'readwrite');
    const store = tx.objectStore(name) as unknown as { get(k: IDBValidKey): Promise<AnyRow | undefined>; put(v: AnyRow): Promise<unknown> };
    const write = async () => {
      if (!ringFitsVault(await tx.objectStore('vault').get('vault'), ring)) throw new KeyChangedError();
      for (const r of resealed) {
        const now = await store.get(r.key);
        if (now && sameField(now[field], r.old)) await store.put({ ...now, [field]: r.value });
      }
    };
    await Promise.all([write(), tx.done]);
  }
  return { last, count: keys.length };
}

/**
 * Brings every face-data row onto the keyring's current key (or to plain when it has none), then drops
 * the data keys no longer needed, or the whole vault when encryption was turned off.
 */
export async function reencrypt(db: IDBPDatabase<VisageSchema>, ring: Ring, onProgress: ReencryptionProgress = () => undefined): Promise<{ damaged: number }> {
  const damaged = new Set<string>();
  for (let round = 0; round < 5; round++) {
    const total = (await Promise.all(STORES.map((s) => db.count(s)))).reduce((a, b) => a + b, 0);
    let done = 0;
    onProgress(0, total);
    for (const name of STORES) {
      let after: IDBValidKey | undefined;
      for (let batch = await passBatch(db, name, after, ring, damaged); batch; batch = await passBatch(db, name, after, ring, damaged)) {
        after = batch.last;
        done += batch.count;
        onProgress(Math.min(done, total), total);
      }
    }
    if (await finish(db, ring, damaged.size)) return { damaged: damaged.size };
    // Someone wrote with an old key between our batches and the check: go round once more.
  }
  throw new Error('The re-encryption could not finish: another tab keeps writing with an old key. Reload every Visage tab.');
}

/** In one transaction with the vault: if every row is current, retire the old keys. */
async function finish(db: IDBPDatabase<VisageSchema>, ring: Ring, damaged: number): Promise<boolean> {
  const tx = db.transaction([...STORES, 'vault'], 'readwrite');
  const check = async (): Promise<boolean> => {
    let stale = 0;
    for (const name of STORES) {
      const rows = (await tx.objectStore(name).getAll()) as unknown as AnyRow[];
      stale += rows.filter((r) => !fieldIsCurrent(r[SEALED_STORES[name].field], ring)).length;
    }
    if (stale > damaged) return false;
    const vault = await tx.objectStore('vault').get('vault');
    if (!vault) return true;
    if (vault.current === null) await tx.objectStore('vault').delete('vault');
    else if (damaged === 0) await tx.objectStore('vault').put({ ...vault, keys: vault.keys.filter((k) => k.g === vault.current) });
    return true;
  };
  const [ok] = await Promise.all([check(), tx.done]);
  return ok;
}

/** Whether a pass is still owed: the vault holds more than the current key, or is being removed. */
export function reencryptionOwed(vault: { current: number | null; keys: readonly unknown[] } | undefined): boolean {
  return vault !== undefined && (vault.current === null || vault.keys.length > 1);
}
