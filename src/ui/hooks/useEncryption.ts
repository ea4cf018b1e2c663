// Encryption at rest as the page sees it: off, locked (ask for the passphrase) or on, re-read whenever
// this or another tab changes the vault; and a re-encryption left unfinished (a closed tab, a crash)
// finished in the background as soon as the face data is unlocked.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { EncryptionState, VisageStore } from '../../storage/visage-store.ts';
import { errorMessage } from '../error-message.ts';

export interface Reencryption {
  done: number;
  total: number;
}

export interface EncryptionView {
  state: EncryptionState | null;
  /** Progress of the pass running now (set, change, removal or a resumed one). */
  pass: Reencryption | null;
  passError: string;
  /** Runs one of the store's passphrase operations with progress shown. */
  run: (op: (onProgress: (done: number, total: number) => void) => Promise<unknown>) => Promise<void>;
}


export function useEncryption(store: VisageStore | null): EncryptionView {
  const subscribe = useCallback((changed: () => void) => (store ? store.onChange(changed, 'vault') : () => undefined), [store]);
  const state = useSyncExternalStore(subscribe, () => store?.encryption() ?? null);
  const [pass, setPass] = useState<Reencryption | null>(null);
  const [passError, setPassError] = useState('');
  // Set synchronously, so a vault change seen mid-operation never starts a second pass.
  const running = useRef(false);

  const run = useCallback(async (op: (onProgress: (done: number, total: number) => void) => Promise<unknown>) => {
    if (running.current) return;
    running.current = true;
    setPassError('');
    setPass({ done: 0, total: 0 });
    try {
      await op((done, total) => setPass({ done, total }));
    } catch (e) {
      setPassError(errorMessage(e));
      throw e;
    } finally {
      running.current = false;
      setPass(null);
    }
  }, []);

  // Unlocked with a pass still owed: finish it now (every row stays readable meanwhile).
  useEffect(() => {
    if (store && state === 'on' && store.reencryptionOwed() && !running.current) {
      run((onProgress) => store.resumeReencryption(onProgress)).catch(() => undefined);
    }
  }, [store, state, run]);

  return { state, pass, passError, run };
}
