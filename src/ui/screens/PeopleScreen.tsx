// Everyone enrolled: thumbnails, sample counts and dates; rename, delete a person or one sample (with
// undo), add samples.
import { useState } from 'react';
import { cleanName, type Person } from '../../domain/people.ts';
import type { DeletedPerson, Sample, VisageStore } from '../../storage/visage-store.ts';
import { SampleThumb } from '../components/SampleThumb.tsx';

interface Props {
  store: VisageStore;
  people: Person[];
  samples: Sample[];
  onAddSamples: (person: Person) => void;
}

type Undo = { label: string; run: () => Promise<void> };

const sameName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

function PersonRow({ person, people, samples, store, onAddSamples, offerUndo }: { person: Person; people: Person[]; samples: Sample[]; store: VisageStore; onAddSamples: (p: Person) => void; offerUndo: (u: Undo) => void }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(person.name);
  const [error, setError] = useState('');
  /** Someone else already has the new name: merge into them, or keep two cards. */
  const [twin, setTwin] = useState<Person | null>(null);
  const stopEditing = () => {
    setEditing(false);
    setError('');
    setTwin(null);
  };
  const rename = async (allowTwin = false) => {
    const checked = cleanName(draft);
    if (!checked.ok) return setError(checked.message);
    const other = people.find((p) => p.id !== person.id && sameName(p.name, checked.name));
    if (other && !allowTwin) return setTwin(other);
    await store.renamePerson(person.id, checked.name);
    stopEditing();
  };
  const merge = async (into: Person) => {
    await store.mergePeople(person.id, into.id);
    stopEditing();
  };
  const remove = async () => {
    const deleted: DeletedPerson | null = await store.deletePerson(person.id);
    if (deleted) offerUndo({ label: `${person.name} deleted.`, run: () => store.restorePerson(deleted) });
  };
  const removeSample = async (s: Sample) => {
    const removed = await store.deleteSample(s.id);
    if (removed) offerUndo({ label: `A sample of ${person.name} deleted.`, run: () => store.restoreSample(removed) });
  };
  return (
    <li className="person" data-testid="person" data-name={person.name}>
      <div className="row">
        {editing ? (
          // A form, so Enter saves.
          <form className="row" data-testid="rename" onSubmit={(e) => {
            e.preventDefault();
            void rename();
          }}>
            <input aria-label="New name" data-testid="rename-input" value={draft} maxLength={200} autoFocus onChange={(e) => {
              setDraft(e.target.value);
              setTwin(null);
            }} />
            <button type="submit">Save</button>
            <button type="button" onClick={() => {
              setDraft(person.name);
              stopEditing();
            }}>Cancel</button>
          </form>
        ) : (
          <strong className="person-name">{person.name}</strong>
        )}
        <span className="muted">{samples.length} sample{samples.length === 1 ? '' : 's'} · since {new Date(person.createdAt).toLocaleDateString()}</span>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {twin && (
        <div className="panel warning" role="alert" data-testid="rename-twin">
          <p>{twin.name} is already enrolled. Is this the same person?</p>
          <div className="row">
            <button type="button" data-testid="rename-merge" onClick={() => void merge(twin)}>Same person: merge into {twin.name}</button>
            <button type="button" data-testid="rename-keep" onClick={() => void rename(true)}>Different people: keep both</button>
          </div>
        </div>
      )}
      <div className="thumbs">
        {samples.map((s) => (
          <span key={s.id} className="sample">
            <SampleThumb blob={s.thumbnail} alt={`${person.name}, ${new Date(s.createdAt).toLocaleString()}`} />
            <button type="button" className="small" aria-label={`Delete this sample of ${person.name}`} onClick={() => void removeSample(s)}>×</button>
          </span>
        ))}
      </div>
      <div className="row">
        <button type="button" onClick={() => setEditing(true)}>Rename</button>
        <button type="button" onClick={() => onAddSamples(person)}>Add samples</button>
        <button type="button" data-testid="person-delete" onClick={() => void remove()}>Delete</button>
      </div>
    </li>
  );
}

export function PeopleScreen({ store, people, samples, onAddSamples }: Props) {
  const [undo, setUndo] = useState<Undo | null>(null);
  return (
    <section data-testid="people">
      <h2>People</h2>
      {undo && (
        <p className="panel row" role="status" data-testid="undo">
          {undo.label}
          <button type="button" onClick={() => void undo.run().then(() => setUndo(null))}>Undo</button>
        </p>
      )}
      {people.length === 0 ? (
        <p className="muted">Nobody is enrolled yet.</p>
      ) : (
        <ul className="people-list">
          {people.map((p) => (
            <PersonRow key={p.id} person={p} people={people} samples={samples.filter((s) => s.personId === p.id)} store={store} onAddSamples={onAddSamples} offerUndo={setUndo} />
          ))}
        </ul>
      )}
    </section>
  );
}
