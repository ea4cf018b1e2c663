// Launches Debian's Chromium through playwright-core with software GL and an optional fake camera,
// and records every request so tests can prove the page never talks to another origin.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterEach } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Software WebGL that tfjs accepts (--use-gl=swiftshader makes its webgl backend fail silently).
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
];

export interface CameraOptions {
  /** Absolute path of a .y4m clip; without it the camera is denied. */
  clip?: string;
  /** Camera permission granted but no camera at all (a desktop without a webcam). */
  noCamera?: boolean;
  /** More Chromium flags (the benchmark exposes gc() to measure the heap after collection). */
  extraArgs?: string[];
  /** The window's size (1000 × 900 unless said): a laptop is 1280 × 800, a phone 390 × 844. */
  viewport?: { width: number; height: number };
}

export interface Session {
  /** null for a persistent profile (the context is the browser). */
  browser: Browser | null;
  context: BrowserContext;
  page: Page;
  /** Every URL any page or service worker of the context asked for. */
  requests: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
  close: () => Promise<void>;
}

function chromiumArgs(camera: CameraOptions): string[] {
  const args = [...BASE_ARGS, ...(camera.extraArgs ?? [])];
  if (camera.noCamera) {
    args.push('--use-fake-ui-for-media-stream');
  } else if (camera.clip) {
    args.push('--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${camera.clip}`);
  } else {
    // A fake device exists, but with no fake UI and no granted permission getUserMedia is denied.
    args.push('--use-fake-device-for-media-stream');
  }
  return args;
}

const VIEWPORT = { width: 1000, height: 900 };

function watch(context: BrowserContext, page: Page, browser: Browser | null, close: () => Promise<void>): Session {
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { browser, context, page, requests, errors, close: closeChecked(requests, close) };
}

/**
 * Closing a session also enforces, for every test of the suite, that nothing the pages or their service
 * workers asked for left this machine's test servers.
 */
function closeChecked(requests: readonly string[], close: () => Promise<void>): () => Promise<void> {
  return async () => {
    await close();
    const leaks = requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).hostname !== '127.0.0.1');
    if (leaks.length > 0) throw new Error(`Requests left the app's origin: ${leaks.join(', ')}`);
  };
}

export async function openSession(camera: CameraOptions): Promise<Session> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs(camera) });
  const context = await browser.newContext({ viewport: camera.viewport ?? VIEWPORT });
  return watch(context, await context.newPage(), browser, () => browser.close());
}

/**
 * A browser profile kept on disk, so IndexedDB survives closing the browser; relaunching it with
 * another clip is how a test "switches" the fake camera to someone else.
 */
export async function openProfile(userDataDir: string, camera: CameraOptions): Promise<Session> {
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs(camera), viewport: VIEWPORT });
  const page = context.pages()[0] ?? (await context.newPage());
  return watch(context, page, null, () => context.close());
}

/** Requests that left the app's origin (data: and blob: URLs never leave the page). */
export function offOriginRequests(requests: readonly string[], baseUrl: string): string[] {
  const origin = new URL(baseUrl).origin;
  return requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
}

/** Sessions a test opens, closed (and origin-checked) after the test. */
export function sessionPerTest(): { open: (camera: CameraOptions) => Promise<Session> } {
  const open: Session[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });
  return {
    open: async (camera) => {
      const s = await openSession(camera);
      open.push(s);
      return s;
    },
  };
}
