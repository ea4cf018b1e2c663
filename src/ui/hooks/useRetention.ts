// Enforces the sightings retention: at start, whenever it is changed, and hourly while the app stays open.
import { useEffect } from 'react';
import { retentionCutoff } from '../../domain/sightings.ts';
import type { VisageStore } from '../../storage/visage-store.ts';

const EVERY_MS = 3_600_000;

export function useRetention(store: VisageStore | null, days: number | null): void {
  useEffect(() => {
    if (!store || days === null) return;
    const prune = () => {
      store.deleteSightingsBefore(retentionCutoff(Date.now(), days)).catch((e: unknown) => console.warn('Visage: old sightings were not deleted', e));
    };
    prune();
    const timer = setInterval(prune, EVERY_MS);
    return () => clearInterval(timer);
  }, [store, days]);
}
