// The page: models and camera start together; the live view appears when both are ready.
import { useCamera } from './hooks/useCamera.ts';
import { useVision } from './hooks/useVision.ts';
import { LoadingPanel } from './components/LoadingPanel.tsx';
import { CameraProblemPanel } from './components/CameraProblemPanel.tsx';
import { LiveView } from './components/LiveView.tsx';

/** One word for the whole page's state, on the root element for tests and for styling. */
function appState(vision: ReturnType<typeof useVision>, camera: ReturnType<typeof useCamera>): string {
  if (vision.kind === 'failed') return 'model-error';
  if (camera.state.kind === 'problem') return `camera-${camera.state.problem}`;
  if (vision.kind === 'loading') return 'loading';
  return camera.state.kind === 'running' ? 'running' : 'waiting-for-camera';
}

export function App() {
  const vision = useVision();
  const camera = useCamera();
  const state = appState(vision, camera);

  return (
    <main data-testid="app" data-state={state}>
      <header>
        <h1>Visage</h1>
        <p className="muted">Face recognition that never leaves this device.</p>
      </header>
      {vision.kind === 'failed' && (
        <section className="panel problem" role="alert" data-testid="model-error">
          <h2>The face models could not load</h2>
          <p>{vision.message}</p>
          <p className="muted">Reload the page to try again. If it persists, the site's files are damaged.</p>
        </section>
      )}
      {camera.state.kind === 'problem' && (
        <CameraProblemPanel problem={camera.state.problem} detail={camera.state.detail} onRetry={camera.retry} />
      )}
      {vision.kind === 'loading' && <LoadingPanel progress={vision.progress} />}
      {camera.state.kind === 'requesting' && <p className="panel" data-testid="camera-requesting">Waiting for camera permission…</p>}
      {vision.kind === 'ready' && camera.state.kind === 'running' && camera.stream && (
        <LiveView stream={camera.stream} mirrored={camera.state.mirrored} client={vision.client} />
      )}
    </main>
  );
}
