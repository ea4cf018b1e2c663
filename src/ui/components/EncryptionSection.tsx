// Settings › Encryption: set a passphrase, change it, or turn encryption off. Each runs one re-encryption
// pass over the face data with progress; closing the tab midway is safe (it resumes at the next unlock).
import { useState } from 'react';
import { checkNewPassphrase } from '../../storage/vault.ts';
import type { VisageStore } from '../../storage/visage-store.ts';
import type { EncryptionView } from '../hooks/useEncryption.ts';

interface Props {
  store: VisageStore;
  encryption: EncryptionView;
}

type Mode = 'idle' | 'set' | 'change' | 'remove';

function PassField({ label, value, onChange, testid, fresh }: { label: string; value: string; onChange: (v: string) => void; testid: string; fresh?: boolean }) {
  return (
    <label className="field">
      {label}
      <input type="password" autoComplete={fresh ? 'new-password' : 'current-password'} data-testid={testid} value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

export function EncryptionSection({ store, encryption }: Props) {
  const [mode, setMode] = useState<Mode>('idle');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState('');
  const [done, setDone] = useState('');
  const { state, pass, passError } = encryption;

  const reset = (m: Mode) => {
    setMode(m);
    setCurrent('');
    setNext('');
    setRepeat('');
    setProblem('');
  };

  const submit = () => {
    if (mode !== 'remove') {
      const bad = checkNewPassphrase(next, repeat);
      if (bad) return setProblem(bad);
    }
    setProblem('');
    setDone('');
    const op = mode === 'remove'
      ? (p: (d: number, t: number) => void) => store.removePassphrase(current, p)
      : (p: (d: number, t: number) => void) => store.setPassphrase(next, mode === 'change' ? current : null, p);
    const said = mode === 'set' ? 'Encrypted.' : mode === 'change' ? 'Passphrase changed; everything was re-encrypted.' : 'Encryption turned off.';
    encryption.run(op).then(() => {
      reset('idle');
      setDone(said);
    }, () => undefined);
  };

  return (
    <section className="encryption" data-testid="encryption" data-state={state ?? 'unknown'}>
      <h3>Encryption</h3>
      <p className="muted">
        {state === 'on'
          ? 'Face pictures and embeddings are encrypted on this device (AES-GCM, key from your passphrase). Names and settings are not.'
          : 'Optionally encrypt face pictures and embeddings on this device with a passphrase, asked each time Visage starts.'}
      </p>
      {pass && (
        <p role="status" data-testid="reencryption">
          Re-encrypting the face data: {pass.done} of {pass.total}…
          <progress max={Math.max(1, pass.total)} value={pass.done} />
        </p>
      )}
      {!pass && mode === 'idle' && (
        <p className="row">
          {state === 'off' && <button type="button" data-testid="encryption-set" onClick={() => reset('set')}>Encrypt with a passphrase…</button>}
          {state === 'on' && <button type="button" data-testid="encryption-change" onClick={() => reset('change')}>Change the passphrase…</button>}
          {state === 'on' && <button type="button" data-testid="encryption-remove" onClick={() => reset('remove')}>Turn encryption off…</button>}
        </p>
      )}
      {!pass && mode !== 'idle' && (
        <form onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}>
          {mode !== 'set' && <PassField label="Current passphrase" value={current} onChange={setCurrent} testid="encryption-current" />}
          {mode !== 'remove' && <PassField label="New passphrase (at least 8 characters)" value={next} onChange={setNext} testid="encryption-new" fresh />}
          {mode !== 'remove' && <PassField label="The new passphrase again" value={repeat} onChange={setRepeat} testid="encryption-repeat" fresh />}
          {mode !== 'remove' && <p className="muted warning">If you forget it, nobody can recover the face data: there is no reset.</p>}
          <p className="row">
            <button type="submit" data-testid="encryption-submit">{mode === 'set' ? 'Encrypt' : mode === 'change' ? 'Change' : 'Turn off'}</button>
            <button type="button" onClick={() => reset('idle')}>Cancel</button>
          </p>
        </form>
      )}
      {(problem || passError) && <p className="problem" role="alert" data-testid="encryption-error">{problem || passError}</p>}
      {done && !pass && <p role="status" data-testid="encryption-done">{done}</p>}
    </section>
  );
}
