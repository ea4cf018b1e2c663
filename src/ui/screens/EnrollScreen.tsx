// Enroll a person: type a name, then capture samples from the webcam while a guide asks for small head
// turns (each sample gated on quality and, from the camera, on anti-spoofing; rejections explained live),
// or add photos by picker or drop. Optionally a head-turn challenge comes before the camera capture.
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import type { Gallery, MatchPolicy } from '../../domain/matching.ts';
import { cleanName, type Person } from '../../domain/people.ts';
import type { VisageStore } from '../../storage/visage-store.ts';
import type { VisionClient } from '../../worker/vision-client.ts';
import type { CapturedSample } from '../../worker/protocol.ts';
import { LiveView, type OverlayFace } from '../components/LiveView.tsx';
import { SAMPLES_PER_ENROLLMENT, gate, lookAlike } from '../enrollment.ts';
import { PoseGuide, STEP_TIMEOUT_MS } from '../../domain/pose-guide.ts';
import { SampleThumb } from '../components/SampleThumb.tsx';
import { HeadTurnChallenge, type ChallengeState } from '../../domain/head-turn-challenge.ts';
import { errorMessage } from '../error-message.ts';

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

const degrees = (rad: number) => (rad * 180) / Math.PI;

const CAPTURE_EVERY_MS = 500;

export function EnrollScreen({ client, store, stream, mirrored, gallery, policy, people, existing, onDone, protection }: Props) {
  const [name, setName] = useState(existing?.name ?? '');
  const [samples, setSamples] = useState<CapturedSample[]>([]);
  const [capturing, setCapturing] = useState(false);
  const [feedback, setFeedback] = useState('');
  const [warning, setWarning] = useState('');
  const [error, setError] = useState('');
  const [choices, setChoices] = useState<{ file: string; candidates: CapturedSample[] } | null>(null);
  const [saving, setSaving] = useState(false);
  const [nameProblem, setNameProblem] = useState('');
  const nameField = useRef<HTMLInputElement>(null);
  /** Save and its row: brought into view when the samples are in, or the capture stopped. */
  const saveRow = useRef<HTMLDivElement>(null);
  const lastCapture = useRef(0);
  const challengeRun = useRef<HeadTurnChallenge | null>(null);
  /** The camera capture's prompts and the samples it has earned (photos are not asked to turn). */
  const guide = useRef<PoseGuide | null>(null);
  const [prompt, setPrompt] = useState('');
  /** Why the camera capture stopped before its five samples, and what the user can do. */
  const [stalled, setStalled] = useState('');
  /** The head pose of the last capture that passed the quality gate (shown to tests, and in the DOM for support). */
  const [lastPose, setLastPose] = useState<{ yawDeg: number; pitchDeg: number } | null>(null);
  const [challenge, setChallenge] = useState<ChallengeState | null>(null);

  /** @param limit at most this many samples in all (the camera stops at 5; photos may add more). */
  const accept = useCallback((sample: CapturedSample, limit = SAMPLES_PER_ENROLLMENT * 4) => {
    setSamples((prev) => (prev.length >= limit ? prev : [...prev, sample]));
    const other = lookAlike(sample, gallery, policy, people, existing?.id ?? null);
    setWarning(other ? `Looks like ${other.name} — same person? If so, add samples to ${other.name} instead.` : '');
  }, [gallery, policy, people, existing]);

  // Capturing stops by itself once enough samples are in.
  const active = capturing && samples.length < SAMPLES_PER_ENROLLMENT;

  /** The capture stops before its five samples: say why, and what can be done. */
  const stall = useCallback((why: string) => {
    setCapturing(false);
    const taken = guide.current?.taken ?? 0;
    const goOn = taken > 0 ? ` Save the ${taken} sample${taken === 1 ? '' : 's'} taken, try again,` : ' Try again';
    setStalled(`${why}${goOn} or add photos instead.`);
    setFeedback('');
  }, []);

  const process = useCallback(async (video: HTMLVideoElement): Promise<{ faces: OverlayFace[] }> => {
    const now = performance.now();
    const run = challengeRun.current;
    if (run) {
      const { faces } = await client.analyze(video, false);
      const state = run.observe(faces.map((f) => degrees(f.yaw)), now);
      setChallenge(state);
      if (state.kind !== 'running') challengeRun.current = null;
      if (state.kind === 'passed') setCapturing(true);
      if (state.kind === 'failed') setError(state.message);
      return { faces: faces.map((f): OverlayFace => ({ box: f.box, text: '', tone: 'neutral' })) };
    }
    if (!active || now - lastCapture.current < CAPTURE_EVERY_MS) {
      const { faces } = await client.analyze(video, false);
      return { faces: faces.map((f): OverlayFace => ({ box: f.box, text: '', tone: 'neutral' })) };
    }
    lastCapture.current = now;
    const candidates = await client.capture(video, protection.spoofCheck);
    const { sample, verdict } = gate(candidates);
    const poses = guide.current;
    let taken = false;
    if (sample && poses) {
      const pose = { yawDeg: sample.quality.yawDeg, pitchDeg: sample.quality.pitchDeg };
      setLastPose(pose);
      const judged = poses.judge(pose, sample.embedding, performance.now());
      if (judged.kind === 'take') {
        poses.take(pose, sample.embedding, performance.now());
        // A capture already on its way when the fifth sample came in must not make a sixth.
        accept(sample, SAMPLES_PER_ENROLLMENT);
        setFeedback('Sample accepted.');
        setPrompt(poses.step?.prompt ?? '');
        taken = true;
      } else if (judged.kind === 'timed-out') {
        stall(`${judged.message}`);
      } else {
        setFeedback(judged.reason === 'duplicate' ? 'The same as a sample already taken: move a little.' : '');
      }
    } else if (poses?.expired(performance.now())) {
      const why = verdict.problems.map((p) => p.message).join(' ');
      const spoofed = verdict.problems.some((p) => p.problem === 'spoof');
      stall(`For ${STEP_TIMEOUT_MS / 1000} s every frame was refused: ${why}${spoofed ? ' More light and a plain background help; the check can be turned off in Settings › Photos and screens.' : ''}`);
    } else {
      setFeedback(verdict.problems.map((p) => p.message).join(' '));
    }
    return { faces: candidates.map((c): OverlayFace => ({ box: c.face.box, text: taken && sample === c ? 'OK' : '', tone: taken && sample === c ? 'known' : 'unknown' })) };
  }, [active, client, accept, protection.spoofCheck, stall]);

  /** The name as it will be saved, or null after saying what is wrong with it, at the field itself. */
  const nameOrSay = (): string | null => {
    const checked = cleanName(name);
    if (checked.ok) return checked.name;
    setNameProblem(checked.message);
    nameField.current?.focus();
    return null;
  };

  // What needs the user next is Save (or the message above it): on a phone it is below the camera.
  const done = samples.length >= SAMPLES_PER_ENROLLMENT || stalled !== '';
  useEffect(() => {
    if (done) saveRow.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [done]);

  const startOrStop = () => {
    if (active || challengeRun.current) {
      challengeRun.current = null;
      setChallenge(null);
      setCapturing(false);
      return;
    }
    setError('');
    setStalled('');
    // Asked now, not after the samples: the name is what the samples are for.
    if (nameOrSay() === null) return;
    // Keep trying: the samples and prompts so far stay, and the prompt's clock starts again.
    if (guide.current && samples.length > 0) guide.current.restart(performance.now());
    else guide.current = new PoseGuide(performance.now(), policy.threshold);
    setPrompt(guide.current.step?.prompt ?? '');
    if (protection.headTurn) {
      challengeRun.current = new HeadTurnChallenge(performance.now());
      setChallenge({ kind: 'running', turnedOneWay: false, turnedOtherWay: false, prompt: 'Turn your head slowly to one side, then to the other.' });
    } else {
      setCapturing(true);
    }
  };

  const addPhotos = useCallback(async (files: readonly File[]) => {
    setError('');
    for (const file of files) {
      let bitmap: ImageBitmap;
      try {
        bitmap = await createImageBitmap(file);
      } catch {
        setError(`${file.name} is not an image this browser can read: use a JPEG, PNG or WebP photo.`);
        continue;
      }
      try {
        let candidates: CapturedSample[];
        try {
          candidates = await client.capture(bitmap);
        } catch (e) {
          // The samples taken so far stay; the next file is still tried.
          setError(`${file.name} could not be analysed: ${errorMessage(e)}`);
          continue;
        }
        if (candidates.length === 0) setError(`No face found in ${file.name}.`);
        else if (candidates.length === 1) {
          const { sample, verdict } = gate(candidates);
          if (sample) accept(sample);
          else setError(`${file.name}: ${verdict.problems.map((p) => p.message).join(' ')}`);
        } else {
          setChoices({ file: file.name, candidates });
        }
      } finally {
        bitmap.close();
      }
    }
  }, [client, accept]);

  const pick = (c: CapturedSample) => {
    // The user chose this face: the others in the photo no longer count against it.
    const chosen = { ...c, quality: { ...c.quality, faceCount: 1 } };
    const { sample, verdict } = gate([chosen]);
    if (sample) accept(sample);
    else setError(verdict.problems.map((p) => p.message).join(' '));
    setChoices(null);
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
    void addPhotos([...e.dataTransfer.files]);
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
              {active || challenge?.kind === 'running' ? 'Stop capturing'
                : stalled && samples.length > 0 ? `Keep trying (${samples.length} of ${SAMPLES_PER_ENROLLMENT})` : `Capture ${SAMPLES_PER_ENROLLMENT} samples from the camera`}
            </button>
            {active && <strong data-testid="enroll-guide" aria-live="polite" data-pose={lastPose ? `${lastPose.yawDeg.toFixed(1)},${lastPose.pitchDeg.toFixed(1)}` : undefined}>{prompt}</strong>}
          </div>
          {stalled && <p className="panel warning" role="status" data-testid="enroll-stalled">{stalled}</p>}
          {challenge && (
            <p className="panel" data-testid="enroll-challenge" data-state={challenge.kind} aria-live="polite">
              {challenge.kind === 'running' && (
                <>
                  <strong>Liveness check: {challenge.prompt}</strong>{' '}
                  <span className="muted">{challenge.turnedOneWay ? '✓ one side' : '○ one side'} · {challenge.turnedOtherWay ? '✓ other side' : '○ other side'}</span>
                </>
              )}
              {challenge.kind === 'passed' && 'Liveness check passed. Now look at the camera while the samples are taken.'}
              {challenge.kind === 'failed' && 'Liveness check failed.'}
            </p>
          )}
        </>
      )}
      <p className="feedback" data-testid="enroll-feedback" aria-live="polite">
        {capturing && !active ? `${samples.length} samples captured. Check the name and save.` : feedback}
      </p>
      <div className="dropzone" data-testid="enroll-drop" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
        <label>
          Or add photos (drop them here, or choose files):
          <input type="file" accept="image/*" multiple data-testid="enroll-files" onChange={(e) => {
            void addPhotos([...(e.target.files ?? [])]);
            e.target.value = ''; // choosing the same file again must work too
          }} />
        </label>
      </div>
      {choices && (
        <div className="panel" data-testid="enroll-choices">
          <p>{choices.file} shows {choices.candidates.length} faces. Which one is {name || 'this person'}?</p>
          <div className="thumbs">
            {choices.candidates.map((c, i) => (
              <button key={i} type="button" className="thumb-button" onClick={() => pick(c)} aria-label={`Face ${i + 1}`} data-box={[c.face.box.x, c.face.box.y, c.face.box.width, c.face.box.height].map(Math.round).join(',')}>
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
          setSamples([]);
          setWarning('');
          setFeedback('');
          setStalled('');
          guide.current = null;
        }}>Discard samples</button>}
      </div>
      </div>
      </div>
    </section>
  );
}
