// The enrolled people and the active model's gallery, re-read whenever this or another tab writes.
import { useCallback, useEffect, useState } from 'react';
import { makeEmbedding } from '../../domain/embedding.ts';
import { Gallery } from '../../domain/matching.ts';
import type { Person } from '../../domain/people.ts';
import type { Sample } from '../../storage/visage-store.ts';
import { GALLERY_TOPICS, type VisageStore } from '../../storage/visage-store.ts';
import type { HeadRow } from '../../storage/schema.ts';

export interface PeopleState {
  people: Person[];
  samples: Sample[];
  gallery: Gallery;
  /** The same samples as plain embeddings (no personal head): what a head is trained on. */
  plainGallery: Gallery;
  /** Samples that have no embedding for the active model yet (a model switch in progress). */
  missing: number;
  /** Damaged rows skipped on read. */
  skipped: number;
  /** The active model's personal head (used in the gallery only when enabled). */
  head: HeadRow | null;
  reload: () => void;
}

export function usePeople(store: VisageStore | null, modelId: string | null, dims: number, headEnabled: boolean): PeopleState {
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const [state, setState] = useState<Omit<PeopleState, 'reload'>>(() => ({
    people: [], samples: [], gallery: new Gallery(modelId ?? 'none', dims, []), plainGallery: new Gallery(modelId ?? 'none', dims, []), missing: 0, skipped: 0, head: null,
  }));

  useEffect(() => (store ? store.onChange(reload, GALLERY_TOPICS) : undefined), [store, reload]);

  useEffect(() => {
    if (!store || !modelId) return;
    let cancelled = false;
    void (async () => {
      const [{ people, skipped }, samples, embeddings, head] = await Promise.all([
        store.listPeople(), store.listSamples(), store.embeddingsOf(modelId, dims), store.head(modelId, dims),
      ]);
      const known = new Set(people.map((p) => p.id));
      const rows = embeddings.rows.filter((r) => known.has(r.personId));
      const plain = rows.map((r) => ({ personId: r.personId, embedding: makeEmbedding(modelId, r.vector) }));
      const plainGallery = new Gallery(modelId, dims, plain);
      const gallery = headEnabled && head ? new Gallery(modelId, dims, plain, head) : plainGallery;
      const embedded = new Set(rows.map((r) => r.sampleId));
      if (!cancelled) {
        setState({ people, samples, gallery, plainGallery, missing: samples.filter((s) => !embedded.has(s.id)).length, skipped: skipped + embeddings.skipped, head });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [store, modelId, dims, headEnabled, version]);

  return { ...state, reload };
}
