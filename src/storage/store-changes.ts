// What a write changed, told to this tab's listeners and, over a BroadcastChannel, to the other tabs'
// stores: each listener names the object stores it cares about, so the gallery does not rebuild
// (decrypting every sample, clearing every live label) on a drag of the threshold or on the sightings
// log, which is written every few seconds.
import type { StoreNames } from 'idb';
import type { VisageSchema } from './schema.ts';

/** A change, named by the object store it changed. */
export type ChangeTopic = StoreNames<VisageSchema>;
const TOPICS: readonly ChangeTopic[] = ['people', 'samples', 'embeddings', 'settings', 'sightings', 'heads', 'vault'];
/** What the gallery is built from. */
export const GALLERY_TOPICS: readonly ChangeTopic[] = ['people', 'samples', 'embeddings', 'heads'];

const isTopics = (v: unknown): v is ChangeTopic[] => Array.isArray(v) && v.every((t) => TOPICS.includes(t as ChangeTopic));

const CHANNEL = 'visage-db';

export class StoreChanges {
  private readonly channel: BroadcastChannel | null;
  private readonly listeners = new Set<(topics: readonly ChangeTopic[]) => void>();

  /** @param fromOtherTab called first with what another tab changed; returns the topics still to tell. */
  constructor(fromOtherTab: (topics: readonly ChangeTopic[]) => readonly ChangeTopic[]) {
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
    this.channel?.addEventListener('message', (e: MessageEvent) => {
      if (!isTopics(e.data)) return;
      const rest = fromOtherTab(e.data);
      if (rest.length > 0) this.emit(rest);
    });
  }

  /** @param topics only changes of these topics (once per change); every change when omitted. */
  onChange(listener: () => void, topics?: ChangeTopic | readonly ChangeTopic[]): () => void {
    const wanted = typeof topics === 'string' ? [topics] : topics;
    const filtered = (changed: readonly ChangeTopic[]) => {
      if (!wanted || changed.some((t) => wanted.includes(t))) listener();
    };
    this.listeners.add(filtered);
    return () => this.listeners.delete(filtered);
  }

  /** Tells this tab's listeners only. */
  emit(topics: readonly ChangeTopic[]): void {
    for (const l of this.listeners) l(topics);
  }

  /** Tells this tab's listeners and the other tabs' stores. */
  announce(topics: readonly ChangeTopic[]): void {
    if (topics.length === 0) return;
    this.emit(topics);
    this.channel?.postMessage([...topics]);
  }

  close(): void {
    this.channel?.close();
  }
}
