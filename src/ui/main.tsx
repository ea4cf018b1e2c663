// Entry point: mounts the React app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { startServiceWorker } from '../pwa/app-update.ts';
import { prestartVision } from './hooks/useVision.ts';
import './styles.css';

// The models take longest to be ready: start them before anything else.
prestartVision();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Only the production build has a service worker (the dev server serves modules fresh).
if (import.meta.env.PROD) startServiceWorker();
