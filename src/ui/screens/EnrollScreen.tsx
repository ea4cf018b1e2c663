// Enroll a person: type a name, then capture samples from the webcam while a guide asks for small head
// turns (useCameraCapture), or add photos by picker or drop (usePhotoImport); optionally a head-turn
// challenge comes first (useHeadTurnChallenge). This screen holds the name, the samples and Save.
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import type { Gallery, MatchPolicy } from '../../domain/matching.ts';
import { cleanName, type Person } from '../../domain/people.ts';
import type { VisageStore } from '../../storage/visage-store.ts';
import type { VisionClient } from '../../worker/vision-client.ts';
import type { CapturedSample } from '../../worker/protocol.ts';
import { LiveView, type OverlayFace } from '../components/LiveView.tsx';
import { SAMPLES_PER_ENROLLMENT, lookAlike } from '../../domain/enrollment.ts';
import { SampleThumb } from '../components/SampleThumb.tsx';
import { errorMessage } from '../error-message.ts';
import { useCameraCapture } from '../hooks/useCameraCapture.ts';
import { useHeadTurnChallenge } from '../hooks/useHeadTurnChallenge.ts';
import { usePhotoImport } from '../hooks/usePhotoImport.ts';

interface Props {
  client: VisionClient;
  store: VisageStore;
  stream: MediaStream | null;
  mirrored: boolean;
  gallery: Gallery;
  policy: MatchPolicy;
  people: Person[];
  /** Adding samples to someone already enrolled. */
  existing: Person | null;
  /** Saved: what to tell the user on the screen they go back to. */
  onDone: (message: string) => void;
  /** Anti-spoofing for camera captures, and the head-turn challenge before them (Settings). */
  protection: { spoofCheck: boolean; headTurn: boolean };
}

export function EnrollScreen({ client, store, stream, mirrored, gallery, policy, people, existing, onDone, protection }: Props) {
  const [name, setName] = useState(existing?.name ?? '');
  const [samples, setSamples] = useState<CapturedSample[]>([]);
  const [warning, setWarning] = useState('');
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  const [nameProblem, setNameProblem] = useState('');
  const nameField = useRef<HTMLInputElement>(null);
  /** Save and its row: brought into view when the samples are in, or the capture stopped. */
  const saveRow = useRef<HTMLDivElement>(null);

  /** @param limit at most this many samples in all (the camera stops at 5; photos may add more). */
  const accept = useCallback((sample: CapturedSample, limit = SAMPLES_PER_ENROLLMENT * 4) => {
    setSamples((prev) => (prev.length >= limit ? prev : [...prev, sample]));
    const other = lookAlike(sample, gallery, policy, people, existing?.id ?? null);
    setWarning(other ? `Looks like ${other.name} — same person? If so, add samples to ${other.name} instead.` : '');
  }, [gallery, policy, people, existing]);

  const capture = useCameraCapture({ client, spoofCheck: protection.spoofCheck, threshold: policy.threshold, taken: samples.length, accept });
  const challenge = useHeadTurnChallenge(client, capture.begin, setError);
  const photos = usePhotoImport(client, accept, setError);

  // The live view's frames go to the challenge while it runs, then to the capture when one is due.
  const process = useCallback(async (video: HTMLVideoElement): Promise<{ faces: OverlayFace[] }> => {
    const faces = (await challenge.step(video)) ?? (await capture.step(video));
    if (faces) return { faces };
    const seen = await client.analyze(video, false);
    return { faces: seen.faces.map((f): OverlayFace => ({ box: f.box, text: '', tone: 'neutral' })) };
  }, [challenge, capture, client]);

  /** The name as it will be saved, or null after saying what is wrong with it, at the field itself. */
  const nameOrSay = (): string | null => {
    const checked = cleanName(name);
    if (checked.ok) return checked.name;
    setNameProblem(checked.message);
    nameField.current?.focus();
    return null;
  };

  // What needs the user next is Save (or the message above it): on a phone it is below the camera.
  const done = samples.length >= SAMPLES_PER_ENROLLMENT || capture.stalled !== '';
  useEffect(() => {
    if (done) saveRow.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [done]);

  const startOrStop = () => {
    if (capture.active || challenge.isRunning()) {
      challenge.cancel();
      capture.stop();
      return;
    }
    setError('');
    capture.clearStalled();
    // Asked now, not after the samples: the name is what the samples are for.
    if (nameOrSay() === null) return;
    // Keep trying: the samples and prompts so far stay, and the prompt's clock starts again.
    capture.prepare(samples.length > 0);
    if (protection.headTurn) challenge.start();
    else capture.begin();
  };

  const save = async () => {
    const checkedName = nameOrSay();
    if (checkedName === null) return;
    const checked = { name: checkedName };
    if (samples.length === 0) {
      setError('Capture at least one sample first.');
      return;
    }
    setSaving(true);
    setError('');
    const now = Date.now();
    const person: Person = existing ? { ...existing, name: checked.name, updatedAt: now } : { id: crypto.randomUUID(), name: checked.name, createdAt: now, updatedAt: now };
    try {
      await store.enroll({
        person,
        samples: samples.map((s, i) => {
          const id = crypto.randomUUID();
          return {
            sample: { id, personId: person.id, thumbnail: s.thumbnail, quality: s.quality, createdAt: now + i },
            embedding: { sampleId: id, personId: person.id, modelId: s.embedding.modelId, vector: s.embedding.vector },
          };
        }),
      });
      setSamples([]);
      const count = `${samples.length} sample${samples.length === 1 ? '' : 's'}`;
      onDone(existing ? `${count} added to ${person.name}.` : `${person.name} enrolled with ${count}.`);
    } catch (e) {
      // Nothing was written (one transaction) and the samples stay here for another try.
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const onDrop = (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    void photos.addPhotos([...e.dataTransfer.files]);
  };

  return (
    <section className="enroll" data-testid="enroll">
      <h2>{existing ? `Add samples to ${existing.name}` : 'Enroll a person'}</h2>
      <div className="enroll-layout">
      {stream && (
        <div className="enroll-camera">
          <LiveView stream={stream} mirrored={mirrored} client={client} process={process} />
        </div>
      )}
      <div className="enroll-side">
      <label className="field">
        Name
        <input ref={nameField} data-testid="enroll-name" value={name} maxLength={200} aria-invalid={nameProblem ? true : undefined} aria-describedby={nameProblem ? 'enroll-name-problem' : undefined}
          onChange={(e) => {
            setName(e.target.value);
            setNameProblem('');
          }} placeholder="e.g. Ada" />
        {nameProblem && <span className="error" id="enroll-name-problem" data-testid="enroll-name-problem">{nameProblem}</span>}
      </label>
      {stream && (
        <>
          <div className="row">
            <button type="button" data-testid="enroll-capture" onClick={startOrStop} disabled={saving}>
              {capture.active || challenge.state?.kind === 'running' ? 'Stop capturing'
                : capture.stalled && samples.length > 0 ? `Keep trying (${samples.length} of ${SAMPLES_PER_ENROLLMENT})` : `Capture ${SAMPLES_PER_ENROLLMENT} samples from the camera`}
            </button>
            {capture.active && <strong data-testid="enroll-guide" aria-live="polite" data-pose={capture.lastPose ? `${capture.lastPose.yawDeg.toFixed(1)},${capture.lastPose.pitchDeg.toFixed(1)}` : undefined}>{capture.prompt}</strong>}
          </div>
          {capture.stalled && <p className="panel warning" role="status" data-testid="enroll-stalled">{capture.stalled}</p>}
          {challenge.state && (
            <p className="panel" data-testid="enroll-challenge" data-state={challenge.state.kind} aria-live="polite">
              {challenge.state.kind === 'running' && (
                <>
                  <strong>Liveness check: {challenge.state.prompt}</strong>{' '}
                  <span className="muted">{challenge.state.turnedOneWay ? '✓ one side' : '○ one side'} · {challenge.state.turnedOtherWay ? '✓ other side' : '○ other side'}</span>
                </>
              )}
              {challenge.state.kind === 'passed' && 'Liveness check passed. Now look at the camera while the samples are taken.'}
              {challenge.state.kind === 'failed' && 'Liveness check failed.'}
            </p>
          )}
        </>
      )}
      <p className="feedback" data-testid="enroll-feedback" aria-live="polite">
        {capture.capturing && !capture.active ? `${samples.length} samples captured. Check the name and save.` : capture.feedback}
      </p>
      <div className="dropzone" data-testid="enroll-drop" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
        <label>
          Or add photos (drop them here, or choose files):
          <input type="file" accept="image/*" multiple data-testid="enroll-files" onChange={(e) => {
            void photos.addPhotos([...(e.target.files ?? [])]);
            e.target.value = ''; // choosing the same file again must work too
          }} />
        </label>
      </div>
      {photos.choices && (
        <div className="panel" data-testid="enroll-choices">
          <p>{photos.choices.file} shows {photos.choices.candidates.length} faces. Which one is {name || 'this person'}?</p>
          <div className="thumbs">
            {photos.choices.candidates.map((c, i) => (
              <button key={i} type="button" className="thumb-button" onClick={() => photos.pick(c)} aria-label={`Face ${i + 1}`} data-box={[c.face.box.x, c.face.box.y, c.face.box.width, c.face.box.height].map(Math.round).join(',')}>
                <SampleThumb blob={c.thumbnail} alt={`Face ${i + 1}`} />
              </button>
            ))}
          </div>
        </div>
      )}
      {warning && <p className="warning" role="status" data-testid="enroll-warning">{warning}</p>}
      {error && <p className="error" role="alert" data-testid="enroll-error">{error}</p>}
      <div className="thumbs" data-testid="enroll-samples" data-count={samples.length}>
        {samples.map((s, i) => <SampleThumb key={i} blob={s.thumbnail} alt={`Sample ${i + 1}`} />)}
      </div>
      <div className="row" ref={saveRow}>
        <button type="button" data-testid="enroll-save" onClick={() => void save()} disabled={saving || samples.length === 0}>
          {saving ? 'Saving…' : `Save ${samples.length} sample${samples.length === 1 ? '' : 's'}`}
        </button>
        {samples.length > 0 && <button type="button" onClick={() => {
          // A capture under way stops too: its prompts started from the samples just thrown away.
          challenge.cancel();
          capture.stop();
          setSamples([]);
          setWarning('');
          capture.reset();
        }}>Discard samples</button>}
      </div>
      </div>
      </div>
    </section>
  );
}
