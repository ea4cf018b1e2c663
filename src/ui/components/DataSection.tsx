// Export and import of the whole database. The file is checked completely before anything is written;
// the user then chooses to merge it (by person id) or to replace everything, and sees what happened.
import { useState } from 'react';
import type { DatabaseRows, ImportMode, ImportReport, KnownModels } from '../../storage/backup.ts';
import type { VisageStore } from '../../storage/visage-store.ts';
import { EMBEDDERS } from '../../domain/embedder-specs.ts';
import { downloadText } from '../download.ts';
import { checkNewPassphrase } from '../../storage/vault.ts';
import { errorMessage } from '../error-message.ts';

interface Props {
  store: VisageStore;
  /** Called after an import wrote (settings may have changed). */
  onImported: () => void;
}

type State =
  | { kind: 'idle' }
  | { kind: 'busy'; what: string }
  | { kind: 'checked'; name: string; rows: DatabaseRows; confirmReplace: boolean }
  | { kind: 'needs-passphrase'; file: File; message: string }
  | { kind: 'imported'; report: ImportReport }
  | { kind: 'failed'; message: string };

const MODELS: KnownModels = Object.fromEntries(Object.entries(EMBEDDERS).map(([id, spec]) => [id, spec.dims]));

// The checks (and their schema library) load only when someone exports or imports.
const backupCode = () => import('../../storage/backup.ts');
const sealingCode = () => import('../../storage/sealed-backup.ts');


export function DataSection({ store, onImported }: Props) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [sealExport, setSealExport] = useState(false);
  const [exportPass, setExportPass] = useState('');
  const [exportRepeat, setExportRepeat] = useState('');
  const [importPass, setImportPass] = useState('');

  const exportAll = async () => {
    const bad = sealExport ? checkNewPassphrase(exportPass, exportRepeat) : null;
    if (bad) return setState({ kind: 'failed', message: bad });
    setState({ kind: 'busy', what: 'Exporting…' });
    try {
      const { backupOf } = await backupCode();
      const file = await backupOf(await store.allRows());
      const json = JSON.stringify(file);
      const day = file.exportedAt.slice(0, 10);
      if (sealExport) {
        const { sealBackup } = await sealingCode();
        downloadText(await sealBackup(json, exportPass), 'application/json', `visage-backup-${day}.encrypted.json`);
      } else {
        downloadText(json, 'application/json', `visage-backup-${day}.json`);
      }
      setState({ kind: 'idle' });
    } catch (e) {
      setState({ kind: 'failed', message: `The export failed: ${errorMessage(e)}` });
    }
  };

  const check = async (file: File, passphrase?: string) => {
    setState({ kind: 'busy', what: `Checking ${file.name}…` });
    try {
      const { readBackup } = await backupCode();
      const read = await readBackup(file, MODELS, passphrase);
      setImportPass('');
      if (read.ok) setState({ kind: 'checked', name: file.name, rows: read.rows, confirmReplace: false });
      else if (read.needsPassphrase) setState({ kind: 'needs-passphrase', file, message: read.message });
      else setState({ kind: 'failed', message: read.message });
    } catch (e) {
      setState({ kind: 'failed', message: `The file could not be read: ${errorMessage(e)}. Nothing was imported.` });
    }
  };

  const write = async (rows: DatabaseRows, mode: ImportMode) => {
    setState({ kind: 'busy', what: 'Importing…' });
    try {
      const report = await store.importRows(rows, mode);
      setState({ kind: 'imported', report });
      onImported();
    } catch (e) {
      setState({ kind: 'failed', message: `${errorMessage(e)} Nothing was imported.` });
    }
  };

  return (
    <section className="data-section" data-testid="data" data-state={state.kind}>
      <h3>Your data</h3>
      <p className="muted">A backup holds everyone's face data (embeddings and face pictures): keep the file private.</p>
      <label className="row">
        <input type="checkbox" data-testid="export-encrypt" checked={sealExport} onChange={(e) => setSealExport(e.target.checked)} />
        Encrypt the backup with a passphrase
      </label>
      {sealExport && (
        <p className="row">
          <input type="password" autoComplete="new-password" aria-label="Backup passphrase" placeholder="Passphrase (8+ characters)" data-testid="export-passphrase" value={exportPass} onChange={(e) => setExportPass(e.target.value)} />
          <input type="password" autoComplete="new-password" aria-label="Backup passphrase again" placeholder="Again" data-testid="export-repeat" value={exportRepeat} onChange={(e) => setExportRepeat(e.target.value)} />
        </p>
      )}
      <div className="row">
        <button type="button" data-testid="export" disabled={state.kind === 'busy'} onClick={() => void exportAll()}>Export everything</button>
        <label className="button-like">
          Import a backup…
          <input type="file" accept="application/json,.json" data-testid="import-file" disabled={state.kind === 'busy'} onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void check(file);
          }} />
        </label>
      </div>
      {state.kind === 'busy' && <p role="status">{state.what}</p>}
      {state.kind === 'needs-passphrase' && (
        <form className="panel" data-testid="import-passphrase-form" onSubmit={(e) => {
          e.preventDefault();
          void check(state.file, importPass);
        }}>
          <p role="alert" data-testid="import-passphrase-message">{state.message}</p>
          <p className="row">
            <input type="password" autoComplete="off" aria-label="Backup passphrase" data-testid="import-passphrase" value={importPass} onChange={(e) => setImportPass(e.target.value)} />
            <button type="submit" data-testid="import-open" disabled={importPass.length === 0}>Open</button>
            <button type="button" onClick={() => setState({ kind: 'idle' })}>Cancel</button>
          </p>
        </form>
      )}
      {state.kind === 'checked' && (
        <div className="panel" data-testid="import-checked">
          <p>{state.name}: {state.rows.people.length} people, {state.rows.samples.length} samples, {state.rows.sightings.length} sightings — checked.</p>
          {!state.confirmReplace && (
            <p className="row">
              <button type="button" data-testid="import-merge" onClick={() => void write(state.rows, 'merge')}>Add to the people here</button>
              <button type="button" data-testid="import-replace" onClick={() => setState({ ...state, confirmReplace: true })}>Replace everything here…</button>
              <button type="button" onClick={() => setState({ kind: 'idle' })}>Cancel</button>
            </p>
          )}
          {state.confirmReplace && (
            <p className="row warning">
              Everyone enrolled here, their samples, history and settings will be replaced by the file's.
              <button type="button" data-testid="import-replace-confirm" onClick={() => void write(state.rows, 'replace')}>Replace</button>
              <button type="button" onClick={() => setState({ ...state, confirmReplace: false })}>Back</button>
            </p>
          )}
        </div>
      )}
      {state.kind === 'imported' && (
        <div role="status" data-testid="import-done" data-added={state.report.peopleAdded} data-conflicts={state.report.conflicts.length}>
          <p>
            {state.report.mode === 'replace' ? 'Replaced: ' : 'Imported: '}
            {state.report.peopleAdded} people and {state.report.samplesAdded} samples added.
          </p>
          {state.report.conflicts.length > 0 && (
            <ul className="muted">{state.report.conflicts.map((c) => <li key={c}>{c}</li>)}</ul>
          )}
        </div>
      )}
      {state.kind === 'failed' && <p className="panel problem" role="alert" data-testid="import-error">{state.message}</p>}
    </section>
  );
}
