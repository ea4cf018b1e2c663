// Entry point: mounts the React app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { startServiceWorker } from '../pwa/app-update.ts';
import { prestartVision } from './hooks/useVision.ts';
import { afterStartup, markStartup } from './startup-marks.ts';
import './styles.css';

// The models take longest to be ready: start them before anything else.
const models = prestartVision();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Only the production build has a service worker (the dev server serves modules fresh). On a first visit
// its install downloads and hashes the shell and the core models a second time, and on two cores that made
// the first label later (cold median 3.7 s at page load, 3.1 s after the models, 3.0 s after the first
// result; bench 2026-12-04). So it registers once the first frame is analysed, or 3 s after the models are
// ready (or have failed) when no frame comes (no camera). Offline readiness comes a few seconds later.
if (import.meta.env.PROD) {
  void models.catch(() => undefined).then(() => afterStartup('first-result', 3000)).finally(() => {
    markStartup('service-worker');
    startServiceWorker();
  });
}
