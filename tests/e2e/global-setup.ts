// Once per e2e run: check Chromium is there, build the production site, serve it locally, and make the
// fake-camera clips. Tests receive the server's URL and the clip paths through vitest's provide/inject.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_PATH } from './browser.ts';
import { CLIPS, writeClip } from './fake-camera.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    clips: Record<keyof typeof CLIPS, string>;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}. Install it with: sudo apt-get install -y chromium`);
  }
  const root = resolve(import.meta.dirname, '../..');
  const clipDir = resolve(root, '.cache/e2e');
  const clips = Object.fromEntries(
    Object.entries(CLIPS).map(([key, spec]) => [key, writeClip(clipDir, spec)]),
  ) as Record<keyof typeof CLIPS, string>;

  // A child process, because vitest sets NODE_ENV=test and React would be bundled in development mode.
  execFileSync(process.execPath, [resolve(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const server: PreviewServer = await preview({ root, preview: { port: 0, strictPort: false, host: '127.0.0.1' }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  project.provide('baseUrl', url);
  project.provide('clips', clips);
  return async () => {
    await server.close();
  };
}
