// Once per e2e run: check Chromium is there, build the production site twice (the second build is the
// "new version" of the update test), serve it as a plain static host would, and make
// the fake-camera clips. Tests receive URLs, build folders and clip paths through vitest's provide/inject.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_PATH } from './browser.ts';
import { CLIPS, writeClip } from './fake-camera.ts';
import { startStaticHost } from './static-host.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    builds: { v1: string; v2: string };
    clips: Record<keyof typeof CLIPS, string>;
  }
}

/** The build id each build shows (Settings, and data-build on the app element). */
export const BUILD_IDS = { v1: 'e2e-v1', v2: 'e2e-v2' } as const;

function build(root: string, outDir: string, buildId: string): void {
  // A child process, because vitest sets NODE_ENV=test and React would be bundled in development mode.
  execFileSync(process.execPath, [resolve(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', VISAGE_BUILD_ID: buildId },
  });
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

  const builds = { v1: resolve(root, 'dist'), v2: resolve(clipDir, 'dist-v2') };
  build(root, builds.v1, BUILD_IDS.v1);
  build(root, builds.v2, BUILD_IDS.v2);
  const host = await startStaticHost(builds.v1, '/');
  project.provide('baseUrl', host.url);
  project.provide('builds', builds);
  project.provide('clips', clips);
  return async () => {
    await host.close();
  };
}
