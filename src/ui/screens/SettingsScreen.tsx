// Model, threshold (calibrated default, with reset), camera, mirror and backend.
import type { ReactNode } from 'react';
import type { Gallery, MatchPolicy } from '../../domain/matching.ts';
import type { Person } from '../../domain/people.ts';
import { CalibrationView } from '../components/CalibrationView.tsx';
import { SpoofingSection } from '../components/SpoofingSection.tsx';
import type { SettingsRow } from '../../storage/schema.ts';
import { type VisionInfo } from '../../worker/vision-client.ts';
import { DEFAULT_EMBEDDER, EMBEDDERS, type EmbedderId } from '../../domain/embedder-specs.ts';

interface Props {
  settings: SettingsRow;
  info: VisionInfo | null;
  calibrated: MatchPolicy | null;
  cameras: MediaDeviceInfo[];
  missing: number;
  reembedding: { done: number; total: number } | null;
  onChange: (patch: Partial<Omit<SettingsRow, 'key'>>) => void;
  /** The enrolled samples as matched and the policy in use, for the calibration view. */
  gallery: Gallery;
  people: Person[];
  policy: MatchPolicy | null;
  /** The personalisation section (it needs the worker and the store, which the shell owns). */
  personalisation?: ReactNode;
  /** Sections owned by the app shell (install, storage, version). */
  children?: ReactNode;
}

const MODEL_NOTES: Record<EmbedderId, string> = {
  'arcface-mobilefacenet': 'ArcFace MobileFaceNet, 512-d — most accurate (default)',
  'dlib-resnet': 'dlib ResNet, 128-d',
  faceres: "Human's faceres, 1024-d",
  mobileface: 'MobileFace, 256-d — fastest',
};

const seconds = (ms: number | undefined) => (ms === undefined ? '?' : `${(ms / 1000).toFixed(1)} s`);

export function SettingsScreen({ settings, info, calibrated, cameras, missing, reembedding, onChange, gallery, people, policy, personalisation, children }: Props) {
  const threshold = settings.threshold ?? calibrated?.threshold ?? 0.5;
  return (
    <section className="settings" data-testid="settings">
      <h2>Settings</h2>
      <label className="field">
        Recognition model
        <select data-testid="settings-model" value={settings.modelId ?? DEFAULT_EMBEDDER} onChange={(e) => onChange({ modelId: e.target.value })}>
          {(Object.keys(EMBEDDERS) as EmbedderId[]).map((id) => <option key={id} value={id}>{MODEL_NOTES[id]}</option>)}
        </select>
      </label>
      {reembedding && <p data-testid="reembedding">Re-embedding enrolled samples for this model: {reembedding.done} of {reembedding.total}…</p>}
      {!reembedding && missing > 0 && <p className="muted">{missing} samples still need this model's embedding.</p>}
      <label className="field">
        Match threshold (squared distance; lower is stricter): {threshold.toFixed(3)}
        <input data-testid="settings-threshold" type="range" min={0.05} max={1.5} step={0.005} value={threshold} onChange={(e) => onChange({ threshold: Number(e.target.value) })} />
      </label>
      <button type="button" onClick={() => onChange({ threshold: null })} disabled={settings.threshold === null}>
        Reset to calibrated ({calibrated ? calibrated.threshold.toFixed(3) : 'n/a'})
      </button>
      {policy && <CalibrationView gallery={gallery} people={people} policy={policy} onThreshold={(t) => onChange({ threshold: t })} />}
      {personalisation}
      <label className="field">
        Camera
        <select value={settings.cameraId ?? ''} onChange={(e) => onChange({ cameraId: e.target.value || null })}>
          <option value="">Default camera</option>
          {cameras.map((c, i) => <option key={c.deviceId || i} value={c.deviceId}>{c.label || `Camera ${i + 1}`}</option>)}
        </select>
      </label>
      <label className="field">
        Mirror the preview
        <select value={settings.mirror} onChange={(e) => onChange({ mirror: e.target.value as SettingsRow['mirror'] })}>
          <option value="auto">Automatic (front cameras)</option>
          <option value="on">Always</option>
          <option value="off">Never</option>
        </select>
      </label>
      <label className="field">
        Inference backend (applies on reload)
        <select data-testid="settings-backend" value={settings.backend} onChange={(e) => onChange({ backend: e.target.value as SettingsRow['backend'] })}>
          <option value="auto">Automatic{info ? ` (now: ${info.backend})` : ''}</option>
          <option value="webgl">WebGL</option>
          <option value="wasm">WebAssembly</option>
          <option value="cpu">CPU</option>
        </select>
      </label>
      {info && (
        <p className="muted" data-testid="backend-timings" data-choice={info.choice}>
          {info.choice === 'measured' && `Chosen by timing the models on this device: ${Object.entries(info.timings).map(([name, ms]) => `${name} ${Number.isFinite(ms) ? `${ms.toFixed(0)} ms` : 'failed'}`).join(', ')} per frame.`}
          {info.choice === 'given' && `${info.backend}, as set here.`}
          {info.choice === 'preference' && (info.renderer === null
            ? 'WebAssembly: this browser has no WebGL.'
            : `WebAssembly without timing: WebGL here is software rendering (${info.renderer}), measured 13× slower.`)}
          {' '}Inference runs {info.thread === 'worker' ? 'in a background worker' : `on the page${info.threadNote ? ` (${info.threadNote})` : ''}`}.
          {info.startupMs['warm-up'] !== undefined && ` It was ready ${seconds(info.startupMs['warm-up'])} after it started (models read and checked by ${seconds(info.startupMs.models)}, then built and warmed up).`}
        </p>
      )}
      <SpoofingSection settings={settings} onChange={onChange} />
      {children}
    </section>
  );
}
