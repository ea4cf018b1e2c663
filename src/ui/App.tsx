// The page: database, models and camera start together; four screens share them.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MatchPolicy } from '../domain/matching.ts';
import type { Person } from '../domain/people.ts';
import type { SettingsRow } from '../storage/schema.ts';
import { EMBEDDERS } from '../domain/embedder-specs.ts';
import { useCamera } from './hooks/useCamera.ts';
import { useVision } from './hooks/useVision.ts';
import { useStore } from './hooks/useStore.ts';
import { usePeople } from './hooks/usePeople.ts';
import { useReembedding } from './hooks/useReembedding.ts';
import { useModelChoice } from './hooks/useModelChoice.ts';
import { LoadingPanel } from './components/LoadingPanel.tsx';
import { CameraProblemPanel } from './components/CameraProblemPanel.tsx';
import { RecognizeScreen } from './screens/RecognizeScreen.tsx';
import { EnrollScreen } from './screens/EnrollScreen.tsx';
import { PeopleScreen } from './screens/PeopleScreen.tsx';
import { SettingsScreen } from './screens/SettingsScreen.tsx';
import { HistoryScreen } from './screens/HistoryScreen.tsx';
import { PersonalisationSection } from './components/PersonalisationSection.tsx';
import { DataSection } from './components/DataSection.tsx';
import { useRetention } from './hooks/useRetention.ts';
import { UpdateBanner } from './components/UpdateBanner.tsx';
import { AppSection } from './components/AppSection.tsx';
import { useAppUpdate } from './hooks/useAppUpdate.ts';
import { useInstallPrompt } from './hooks/useInstallPrompt.ts';
import { useStoragePersistence } from './hooks/useStoragePersistence.ts';
import { BUILD_ID } from './build-info.ts';
import { useEncryption } from './hooks/useEncryption.ts';
import { UnlockPanel } from './components/UnlockPanel.tsx';
import { EncryptionSection } from './components/EncryptionSection.tsx';
import { errorMessage } from './error-message.ts';

type Tab = 'recognize' | 'enroll' | 'people' | 'history' | 'settings';
const TABS: { id: Tab; label: string }[] = [
  { id: 'recognize', label: 'Recognize' },
  { id: 'enroll', label: 'Enroll' },
  { id: 'people', label: 'People' },
  { id: 'history', label: 'History' },
  { id: 'settings', label: 'Settings' },
];


export function App() {
  const storeState = useStore();
  const opened = storeState.kind === 'ready' ? storeState.store : null;
  const encryption = useEncryption(opened);
  // Until the passphrase is given, nothing that reads face data gets the store.
  const store = opened && encryption.state !== null && encryption.state !== 'locked' ? opened : null;
  const [settings, setSettings] = useState<SettingsRow | null>(null);
  const [tab, setTab] = useState<Tab>('recognize');
  const [addingTo, setAddingTo] = useState<Person | null>(null);
  const [settingsError, setSettingsError] = useState('');
  /** What just happened (an enrollment saved), said on the screen the user lands on. */
  const [notice, setNotice] = useState('');

  useEffect(() => {
    if (opened) void opened.settings().then(setSettings);
  }, [opened]);

  // Keys only, so it is asked while the face data is still locked: the models load meanwhile.
  const choice = useModelChoice(opened, settings?.modelId);
  const modelId = choice?.serving ?? null;
  const backend = settings && settings.backend !== 'auto' ? settings.backend : undefined;
  const vision = useVision(modelId, backend);
  const camera = useCamera(settings?.cameraId ?? null);
  const client = vision.kind === 'ready' ? vision.client : null;
  const peopleState = usePeople(store, modelId, modelId ? EMBEDDERS[modelId].dims : 0, settings?.headEnabled ?? true);
  useRetention(store, settings?.historyDays ?? null);
  const reembedding = useReembedding(store, client, choice?.target ?? null);
  const update = useAppUpdate();
  const install = useInstallPrompt();
  const storage = useStoragePersistence(peopleState.people.length > 0);

  const calibrated = useMemo(() => client?.info.calibrated ?? null, [client]);
  const override = settings?.threshold ?? null;
  const policy: MatchPolicy | null = useMemo(() => {
    if (!calibrated) return override ? { threshold: override, minMargin: 0 } : null;
    return { threshold: override ?? calibrated.threshold, minMargin: calibrated.minMargin };
  }, [calibrated, override]);

  const changeSettings = useCallback((patch: Partial<Omit<SettingsRow, 'key'>>) => {
    if (!opened) return;
    // Shown at once (a controlled checkbox must not flip back while the write is on its way)…
    setSettings((s) => (s ? { ...s, ...patch } : s));
    opened.saveSettings(patch).then(setSettings, (e: unknown) => {
      setSettingsError(errorMessage(e));
      // …and put back as stored if the write failed.
      void opened.settings().then(setSettings);
    });
  }, [opened]);

  const cameraState = camera.state;
  const mirrored = cameraState.kind === 'running' && (settings?.mirror === 'on' || (settings?.mirror !== 'off' && cameraState.mirrored));
  const stream = cameraState.kind === 'running' ? camera.stream : null;

  let state = 'loading';
  if (vision.kind === 'failed') state = 'model-error';
  else if (vision.kind === 'stopped') state = 'inference-stopped';
  else if (storeState.kind === 'failed') state = 'storage-error';
  else if (encryption.state === 'locked') state = 'locked';
  else if (cameraState.kind === 'problem') state = `camera-${cameraState.problem}`;
  else if (vision.kind === 'ready' && stream) state = 'running';
  else if (vision.kind === 'ready') state = 'waiting-for-camera';

  return (
    <main data-testid="app" data-state={state} data-build={BUILD_ID} data-model={client?.info.modelId} data-target-model={choice?.target}>
      <header className="row">
        <h1>Visage</h1>
        <nav className="tabs" aria-label="Screens">
          {TABS.map((t) => (
            <button key={t.id} type="button" data-testid={`tab-${t.id}`} aria-current={tab === t.id ? 'page' : undefined} onClick={() => {
              setTab(t.id);
              setNotice('');
              if (t.id !== 'enroll') setAddingTo(null);
              window.scrollTo(0, 0); // a new screen starts at its top
            }}>{t.label}</button>
          ))}
        </nav>
        {install.kind === 'available' && <button type="button" data-testid="install" onClick={() => void install.install()}>Install</button>}
      </header>
      {update.updateWaiting && <UpdateBanner />}
      <p className="muted">Face recognition that never leaves this device.</p>
      {storeState.kind === 'closed-for-upgrade' && (
        <p className="panel problem" role="alert">Visage was updated in another tab. Reload this tab to keep using it.</p>
      )}
      {storeState.kind === 'failed' && <p className="panel problem" role="alert">The local database could not open: {storeState.message}</p>}
      {settingsError && <p className="panel problem" role="alert">{settingsError}</p>}
      {opened && encryption.state === 'locked' && <UnlockPanel store={opened} />}
      {encryption.pass && tab !== 'settings' && (
        <p className="muted" role="status">Re-encrypting the face data: {encryption.pass.done} of {encryption.pass.total}…</p>
      )}
      {notice && <p className="panel" role="status" data-testid="notice">{notice}</p>}
      {reembedding && choice && choice.serving !== choice.target && tab !== 'settings' && (
        <p className="muted" role="status" data-testid="migration">
          Moving your samples to the more accurate face model: {reembedding.done} of {reembedding.total}… Recognition goes on meanwhile.
        </p>
      )}
      {peopleState.skipped > 0 && <p className="muted">{peopleState.skipped} damaged records were skipped.</p>}
      {vision.kind === 'failed' && (
        <section className="panel problem" role="alert" data-testid="model-error">
          <h2>The face models could not load</h2>
          <p>{vision.message}</p>
          <p className="muted">Reload the page to try again. If it persists, the site's files are damaged.</p>
        </section>
      )}
      {vision.kind === 'stopped' && (
        <section className="panel problem" role="alert" data-testid="inference-stopped">
          <h2>Face recognition stopped</h2>
          <p>{vision.message}</p>
          <p className="muted">Your people and settings are safe. A reload starts the models again.</p>
          <button type="button" data-testid="reload" onClick={() => window.location.reload()}>Reload</button>
        </section>
      )}
      {cameraState.kind === 'problem' && (
        <CameraProblemPanel problem={cameraState.problem} detail={cameraState.detail} onRetry={camera.retry} />
      )}
      {vision.kind === 'loading' && <LoadingPanel progress={vision.progress} />}
      {cameraState.kind === 'requesting' && <p className="panel" data-testid="camera-requesting">Waiting for camera permission…</p>}
      {client && !policy && (
        <p className="panel problem" role="alert">The model {client.info.modelId} has no calibrated threshold: set one in Settings to start naming faces.</p>
      )}
      {client && store && policy && (
        <>
          {tab === 'recognize' && stream && (
            <RecognizeScreen client={client} stream={stream} mirrored={mirrored} gallery={peopleState.gallery} policy={policy} people={peopleState.people}
              store={store} history={{ enabled: settings?.historyEnabled ?? true, thumbnails: settings?.historyThumbnails ?? false }} spoofCheck={settings?.spoofLive ?? false} />
          )}
          {tab === 'enroll' && (
            <EnrollScreen
              key={addingTo?.id ?? 'new'}
              client={client}
              store={store}
              stream={stream}
              mirrored={mirrored}
              gallery={peopleState.gallery}
              policy={policy}
              people={peopleState.people}
              existing={addingTo}
              protection={{ spoofCheck: settings?.spoofEnroll ?? true, headTurn: settings?.headTurnChallenge ?? false }}
              onDone={(message) => {
                setAddingTo(null);
                setTab('recognize');
                setNotice(message);
                window.scrollTo(0, 0);
              }}
            />
          )}
        </>
      )}
      {/* People and History need no models: they stay usable when a model file is missing or damaged. */}
      {tab === 'people' && store && (
        <PeopleScreen store={store} people={peopleState.people} samples={peopleState.samples} onAddSamples={(p) => {
          setAddingTo(p);
          setTab('enroll');
        }} />
      )}
      {tab === 'history' && store && settings && (
        <HistoryScreen store={store} people={peopleState.people} settings={settings} onChange={changeSettings} threshold={policy?.threshold ?? null} />
      )}
      {tab === 'settings' && settings && (
        <SettingsScreen settings={settings} info={client?.info ?? null} calibrated={calibrated} cameras={camera.cameras} missing={peopleState.missing} reembedding={reembedding} onChange={changeSettings}
          gallery={peopleState.gallery} people={peopleState.people} policy={policy}
          personalisation={client && store && policy && (
            <PersonalisationSection client={client} store={store} plainGallery={peopleState.plainGallery} policy={policy} head={peopleState.head}
              headEnabled={settings.headEnabled} onChange={changeSettings} />
          )}>
          {store && <EncryptionSection store={store} encryption={encryption} />}
          {store && <DataSection store={store} onImported={() => void store.settings().then(setSettings)} />}
          <AppSection update={update} install={install} storage={storage} />
        </SettingsScreen>
      )}
    </main>
  );
}
