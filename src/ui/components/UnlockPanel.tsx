// Asked at start when the face data is encrypted. A wrong passphrase is said so and changes nothing.
// A forgotten one cannot be recovered (that is the point): the only way on is to erase the face data.
import { useState } from 'react';
import type { VisageStore } from '../../storage/visage-store.ts';
import { errorMessage } from '../error-message.ts';


export function UnlockPanel({ store }: { store: VisageStore }) {
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [confirmErase, setConfirmErase] = useState(false);

  const unlock = async () => {
    setBusy(true);
    setError('');
    try {
      await store.unlock(passphrase);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <section className="panel" data-testid="unlock">
      <h2>Enter your passphrase</h2>
      <p className="muted">The face pictures and embeddings on this device are encrypted. Recognition starts once they are unlocked.</p>
      <form className="row" onSubmit={(e) => {
        e.preventDefault();
        void unlock();
      }}>
        <input type="password" autoComplete="current-password" aria-label="Passphrase" data-testid="unlock-passphrase" value={passphrase} autoFocus
          onChange={(e) => setPassphrase(e.target.value)} />
        <button type="submit" data-testid="unlock-submit" disabled={busy || passphrase.length === 0}>{busy ? 'Unlocking…' : 'Unlock'}</button>
      </form>
      {error && <p className="problem" role="alert" data-testid="unlock-error">{error}</p>}
      {!confirmErase && <button type="button" className="link" onClick={() => setConfirmErase(true)}>Forgot the passphrase?</button>}
      {confirmErase && (
        <p className="row warning">
          Without the passphrase the face data cannot be read by anyone, including Visage. You can erase everyone enrolled and start again.
          <button type="button" data-testid="unlock-erase" onClick={() => void store.eraseFaceData().catch((e: unknown) => setError(errorMessage(e)))}>Erase all face data</button>
          <button type="button" onClick={() => setConfirmErase(false)}>Back</button>
        </p>
      )}
    </section>
  );
}
