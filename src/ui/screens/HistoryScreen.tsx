// Who was seen and when: the sightings log, filtered by person and day, exported as CSV, kept for the
// chosen number of days, cleared at will.
import { useEffect, useMemo, useState } from 'react';
import type { Person } from '../../domain/people.ts';
import { RETENTION_DAYS } from '../../domain/sightings.ts';
import { sightingsCsv, UNKNOWN_PERSON } from '../../domain/sightings-csv.ts';
import type { SettingsRow, SightingRow } from '../../storage/schema.ts';
import type { VisageStore } from '../../storage/visage-store.ts';
import { matchConfidence, matchDetail } from '../../domain/match-confidence.ts';
import { SampleThumb } from '../components/SampleThumb.tsx';
import { downloadText } from '../download.ts';
import { errorMessage } from '../error-message.ts';

interface Props {
  store: VisageStore;
  people: Person[];
  settings: SettingsRow;
  onChange: (patch: Partial<Omit<SettingsRow, 'key'>>) => void;
  /** The threshold names are decided by now (null while the models load): how sure a match was. */
  threshold: number | null;
}

/** The person filter: 'all', 'unknown' (the strangers), or one person's id (ids are UUIDs, never those words). */
type PersonFilter = string;

const DAY_MS = 86_400_000;

/** The local day an <input type="date"> names, as [start, end) in ms. */
function dayRange(day: string): [number, number] | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const start = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
  return [start, start + DAY_MS];
}


const duration = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);

export function HistoryScreen({ store, people, settings, onChange, threshold }: Props) {
  const [rows, setRows] = useState<SightingRow[] | null>(null);
  const [version, setVersion] = useState(0);
  const [person, setPerson] = useState<PersonFilter>('all');
  const [day, setDay] = useState('');
  const [confirmClear, setConfirmClear] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => store.onChange(() => setVersion((v) => v + 1), ['sightings', 'people']), [store]);
  useEffect(() => {
    let cancelled = false;
    const range = dayRange(day);
    store.listSightings(range ? range[0] : 0).then(
      (all) => !cancelled && setRows(range ? all.filter((s) => s.firstSeen < range[1]) : all),
      (e: unknown) => !cancelled && setError(errorMessage(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [store, day, version]);

  const names = useMemo(() => new Map(people.map((p) => [p.id, p.name])), [people]);
  const shown = useMemo(() => (rows ?? []).filter((s) => person === 'all' || (person === 'unknown' ? s.personId === null : s.personId === person)), [rows, person]);
  const nameOf = (s: SightingRow) => (s.personId === null ? UNKNOWN_PERSON : names.get(s.personId) ?? 'Deleted person');

  return (
    <section className="history" data-testid="history">
      <h2>History</h2>
      <div className="row">
        <label className="field">
          <span><input type="checkbox" data-testid="history-enabled" checked={settings.historyEnabled} onChange={(e) => onChange({ historyEnabled: e.target.checked })} /> Log who is seen</span>
        </label>
        <label className="field">
          Keep for
          <select data-testid="history-retention" value={settings.historyDays} onChange={(e) => onChange({ historyDays: Number(e.target.value) })}>
            {RETENTION_DAYS.map((d) => <option key={d} value={d}>{d === 1 ? '1 day' : `${d} days`}</option>)}
          </select>
        </label>
        <label className="field">
          <span><input type="checkbox" data-testid="history-thumbnails" checked={settings.historyThumbnails} onChange={(e) => onChange({ historyThumbnails: e.target.checked })} /> Keep a picture of each face</span>
        </label>
      </div>
      {settings.historyThumbnails && <p className="muted">Pictures are faces: they stay on this device and go with the retention.</p>}
      <div className="row">
        <label className="field">
          Person
          <select data-testid="history-person" value={person} onChange={(e) => setPerson(e.target.value)}>
            <option value="all">Everyone</option>
            {people.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            <option value="unknown">{UNKNOWN_PERSON}</option>
          </select>
        </label>
        <label className="field">
          Day
          <input type="date" data-testid="history-day" value={day} onChange={(e) => setDay(e.target.value)} />
        </label>
        <button type="button" data-testid="history-export" disabled={shown.length === 0}
          onClick={() => downloadText(sightingsCsv(shown, (id) => names.get(id)), 'text/csv;charset=utf-8', `visage-history-${new Date().toISOString().slice(0, 10)}.csv`)}>
          Export CSV
        </button>
        {!confirmClear && <button type="button" data-testid="history-clear" disabled={!rows?.length} onClick={() => setConfirmClear(true)}>Clear all…</button>}
        {confirmClear && (
          <span>
            Delete all {rows?.length ?? 0} sightings?{' '}
            <button type="button" data-testid="history-clear-confirm" onClick={() => {
              setConfirmClear(false);
              store.clearSightings().catch((e: unknown) => setError(errorMessage(e)));
            }}>Delete</button>{' '}
            <button type="button" onClick={() => setConfirmClear(false)}>Cancel</button>
          </span>
        )}
      </div>
      {error && <p className="panel problem" role="alert">{error}</p>}
      {rows && shown.length === 0 && <p className="muted" data-testid="history-empty">No sightings{person !== 'all' || day ? ' match these filters' : ' yet'}.</p>}
      {shown.length > 0 && (
        <div className="table-scroll">
        <table className="sightings" data-testid="sightings" data-count={shown.length}>
          <thead><tr><th scope="col">Who</th><th scope="col">First seen</th><th scope="col">For</th><th scope="col">Match</th></tr></thead>
          <tbody>
            {shown.map((s) => (
              <tr key={s.id} data-testid="sighting" data-person={nameOf(s)} data-first-seen={s.firstSeen}>
                <td>{s.thumbnail && <SampleThumb blob={s.thumbnail} alt="" size={40} />} {nameOf(s)}</td>
                <td><time dateTime={new Date(s.firstSeen).toISOString()}>{new Date(s.firstSeen).toLocaleString()}</time></td>
                <td>{duration(s.lastSeen - s.firstSeen)}</td>
                <td>{s.personId !== null && threshold !== null && Number.isFinite(s.bestDistance)
                  ? <span title={matchDetail(s.bestDistance, threshold)}>{matchConfidence(s.bestDistance, threshold)}</span> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </section>
  );
}
