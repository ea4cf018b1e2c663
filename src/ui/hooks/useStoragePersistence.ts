// Asks the browser to keep Visage's data (people are worth keeping once there are some) and reports
// the outcome with the space used, for Settings.
import { useCallback, useEffect, useState } from 'react';

interface StorageFacts {
  /** null while unknown or where the Storage API is missing. */
  persisted: boolean | null;
  usage: number | null;
  quota: number | null;
}

export interface StorageReport extends StorageFacts {
  /** Asks again (a user gesture helps in some browsers). */
  request: () => void;
}

const UNKNOWN: StorageFacts = { persisted: null, usage: null, quota: null };

async function readStorage(ask: boolean): Promise<StorageFacts> {
  const storage = navigator.storage as StorageManager | undefined;
  if (!storage?.persisted) return UNKNOWN;
  let persisted = await storage.persisted();
  if (!persisted && ask) persisted = await storage.persist();
  const e = await storage.estimate();
  return { persisted, usage: e.usage ?? null, quota: e.quota ?? null };
}

export function useStoragePersistence(hasPeople: boolean): StorageReport {
  const [facts, setFacts] = useState<StorageFacts>(UNKNOWN);
  // Firefox shows a permission prompt for persist(): ask only once there is something to keep.
  useEffect(() => {
    readStorage(hasPeople).then(setFacts, () => setFacts(UNKNOWN));
  }, [hasPeople]);
  const request = useCallback(() => void readStorage(true).then(setFacts, () => setFacts(UNKNOWN)), []);
  return { ...facts, request };
}
