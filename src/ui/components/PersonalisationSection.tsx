// Personalisation on request: trains a personal head on the enrolled samples in the inference worker,
// with progress and cancel, shows how it did on held-out photos before and after, and keeps it only when
// it was better. The head in use can be switched off or deleted.
import { useMemo, useRef, useState } from 'react';
import { cannotPersonalise, type HeadReport, type OpenSetFigures } from '../../domain/head-validation.ts';
import type { Gallery, MatchPolicy } from '../../domain/matching.ts';
import type { HeadRow, SettingsRow } from '../../storage/schema.ts';
import type { VisageStore } from '../../storage/visage-store.ts';
import type { VisionClient } from '../../worker/vision-client.ts';
import type { PersonalisationProgress } from '../../domain/head-validation.ts';
import { errorMessage } from '../error-message.ts';

interface Props {
  client: VisionClient;
  store: VisageStore;
  plainGallery: Gallery;
  policy: MatchPolicy;
  head: HeadRow | null;
  headEnabled: boolean;
  onChange: (patch: Partial<Omit<SettingsRow, 'key'>>) => void;
}

type Run =
  | { kind: 'idle' }
  | { kind: 'training'; progress: PersonalisationProgress | null }
  | { kind: 'finished'; report: HeadReport }
  | { kind: 'failed'; message: string };

function Figures({ report }: { report: HeadReport }) {
  const row = (label: string, f: OpenSetFigures) => (
    <tr data-testid={`personalise-${label}`} data-named={f.namedRight} data-strangers={f.strangersNamed} data-wrong={f.namedWrong}>
      <th scope="row">{label}</th>
      <td>{f.namedRight} of {f.knownProbes}</td>
      <td>{f.namedWrong}</td>
      <td>{f.strangersNamed} of {f.strangerProbes}</td>
    </tr>
  );
  return (
    <div className="table-scroll">
    <table className="sightings">
      <caption className="muted">Held-out photos ({report.folds} folds, {report.samples} samples of {report.people} people)</caption>
      <thead><tr><th /><th scope="col">Named right</th><th scope="col">Wrong name</th><th scope="col">Strangers named</th></tr></thead>
      <tbody>{row('before', report.before)}{row('after', report.after)}</tbody>
    </table>
    </div>
  );
}

export function PersonalisationSection({ client, store, plainGallery, policy, head, headEnabled, onChange }: Props) {
  const [run, setRun] = useState<Run>({ kind: 'idle' });
  const abort = useRef<AbortController | null>(null);
  const blocked = useMemo(() => cannotPersonalise(plainGallery.samples()), [plainGallery]);

  const train = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setRun({ kind: 'training', progress: null });
    try {
      const { head: trained, report } = await client.personalise(plainGallery, policy, (progress) => setRun({ kind: 'training', progress }), controller.signal);
      if (report.kept) await store.saveHead({ ...trained, trainedAt: Date.now(), report });
      setRun({ kind: 'finished', report });
    } catch (e) {
      setRun(controller.signal.aborted ? { kind: 'idle' } : { kind: 'failed', message: errorMessage(e) });
    } finally {
      abort.current = null;
    }
  };

  return (
    <section className="personalisation" data-testid="personalisation" data-state={run.kind}>
      <h3>Personalisation</h3>
      <p className="muted">
        Learns, on this device, to tell your enrolled people apart better (a small layer trained with the triplet loss). It is
        judged on photos held out of training and kept only if it names them better without naming more strangers.
      </p>
      {head && (
        <p data-testid="personal-head" data-enabled={headEnabled}>
          A personal head trained on {new Date(head.trainedAt).toLocaleString()} ({head.report.samples} samples of {head.report.people} people).{' '}
          <label><input type="checkbox" data-testid="personal-head-enabled" checked={headEnabled} onChange={(e) => onChange({ headEnabled: e.target.checked })} /> Use it</label>{' '}
          <button type="button" data-testid="personal-head-delete" onClick={() => void store.deleteHead(head.modelId)}>Delete it</button>
        </p>
      )}
      {run.kind !== 'training' && (
        <button type="button" data-testid="personalise-train" disabled={blocked !== null} onClick={() => void train()}>
          {head ? 'Train again on my people' : 'Train on my people'}
        </button>
      )}
      {blocked && <p className="muted" data-testid="personalise-blocked">{blocked}</p>}
      {run.kind === 'training' && (
        <p className="row">
          <progress data-testid="personalise-progress" value={run.progress?.done ?? 0} max={run.progress?.total ?? 1} />
          <span>{run.progress?.phase === 'final' ? 'Training the head…' : 'Checking on held-out photos…'}</span>
          <button type="button" data-testid="personalise-cancel" onClick={() => abort.current?.abort()}>Cancel</button>
        </p>
      )}
      {run.kind === 'finished' && (
        <div data-testid="personalise-result" data-kept={run.report.kept}>
          <p className={run.report.kept ? undefined : 'warning'}>
            {run.report.kept ? 'Kept: it was better on held-out photos and is now used for recognition.' : 'Not kept: it was not better on held-out photos, so nothing changed.'}
          </p>
          <Figures report={run.report} />
        </div>
      )}
      {run.kind === 'failed' && <p className="panel problem" role="alert">{run.message}</p>}
    </section>
  );
}
