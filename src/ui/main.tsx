// Entry point: starts the models, then loads and mounts the React app.
import { startServiceWorker } from '../pwa/app-update.ts';
import { prestartVision } from './vision-clients.ts';
import { afterStartup, markStartup } from './startup-marks.ts';
import './install-prompt.ts'; // listens for the install offer before the UI's code has loaded

// The models take longest to be ready: start them before anything else. This script is kept small (no
// React, no screens) so the inference worker starts before the UI's code has been read: on a warm load
// the worker began ~200 ms after navigation when it waited for that code.
const models = prestartVision();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
import('./app-root.tsx').then(({ mountApp }) => mountApp(root), (e: unknown) => {
  // Only a failed download (offline before the service worker holds the app) gets here.
  root.textContent = `Visage could not load its interface (${e instanceof Error ? e.message : String(e)}). Check the connection and reload.`;
});

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
