// What went wrong with the camera, in words a user can act on, with a way to try again.
import type { CameraProblem } from '../../domain/camera-state.ts';

const ADVICE: Record<CameraProblem, { title: string; todo: string }> = {
  denied: {
    title: 'Camera permission denied',
    todo: 'Allow the camera for this site (the camera icon in the address bar, or the site settings), then try again.',
  },
  'no-camera': {
    title: 'No camera found',
    todo: 'Connect a webcam (or enable the built-in one), then try again.',
  },
  'in-use': {
    title: 'The camera is busy',
    todo: 'Another app or tab is using the camera. Close it, then try again.',
  },
  insecure: {
    title: 'The camera needs a secure page',
    todo: 'Open Visage over https:// or from localhost.',
  },
  unsupported: {
    title: 'This browser cannot use a camera',
    todo: 'Use a current Chrome, Edge, Firefox or Safari.',
  },
  disconnected: {
    title: 'The camera stopped',
    todo: 'It was unplugged, switched off or taken by another app. Visage goes on by itself as soon as it is back.',
  },
  failed: {
    title: 'The camera could not start',
    todo: 'Try again; if it keeps failing, reconnect the camera or restart the browser.',
  },
};

export function CameraProblemPanel({ problem, detail, onRetry }: { problem: CameraProblem; detail: string; onRetry: () => void }) {
  const advice = ADVICE[problem];
  return (
    <section className="panel problem" role="alert" data-testid="camera-problem" data-problem={problem}>
      <h2>{advice.title}</h2>
      <p>{advice.todo}</p>
      <p className="muted">{detail}</p>
      <button type="button" onClick={onRetry}>Try again</button>
    </section>
  );
}
