// Opens the database once per page; says so when another tab's upgrade made us close it.
import { useEffect, useState } from 'react';
import { VisageStore } from '../../storage/visage-store.ts';
import { errorMessage } from '../error-message.ts';

export type StoreState =
  | { kind: 'opening' }
  | { kind: 'ready'; store: VisageStore }
  | { kind: 'failed'; message: string }
  | { kind: 'closed-for-upgrade' };

let opening: Promise<VisageStore> | null = null;
const blockedListeners = new Set<() => void>();

export function useStore(): StoreState {
  const [state, setState] = useState<StoreState>({ kind: 'opening' });
  useEffect(() => {
    let cancelled = false;
    opening ??= VisageStore.open(() => {
      for (const l of blockedListeners) l();
    });
    const onBlocked = () => setState({ kind: 'closed-for-upgrade' });
    blockedListeners.add(onBlocked);
    opening.then(
      (store) => !cancelled && setState({ kind: 'ready', store }),
      (e: unknown) => !cancelled && setState({ kind: 'failed', message: errorMessage(e) }),
    );
    return () => {
      cancelled = true;
      blockedListeners.delete(onBlocked);
    };
  }, []);
  return state;
}
