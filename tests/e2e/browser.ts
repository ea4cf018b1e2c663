// Launches Debian's Chromium through playwright-core with software GL and an optional fake camera,
// and records every request so tests can prove the page never talks to another origin.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

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
}

export interface Session {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every URL any page or worker of the context asked for. */
  requests: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
  close: () => Promise<void>;
}

export async function openSession(camera: CameraOptions): Promise<Session> {
  const args = [...BASE_ARGS];
  if (camera.clip) {
    args.push('--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${camera.clip}`);
  } else {
    // A fake device exists, but with no fake UI and no granted permission getUserMedia is denied.
    args.push('--use-fake-device-for-media-stream');
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { browser, context, page, requests, errors, close: () => browser.close() };
}

/** Requests that left the app's origin (data: and blob: URLs never leave the page). */
export function offOriginRequests(requests: readonly string[], baseUrl: string): string[] {
  const origin = new URL(baseUrl).origin;
  return requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
}
