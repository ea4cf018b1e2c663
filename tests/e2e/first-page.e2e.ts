// The first page in a real browser: models verified and running on the fake camera, overlay exactly over
// the video, a denied camera explained, and not one request to another origin.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { offOriginRequests, openSession, type Session } from './browser.ts';
import { startStaticHost, type StaticHost } from './static-host.ts';

const baseUrl = inject('baseUrl');
const clips = inject('clips');
const builds = inject('builds');
let session: Session | undefined;
let host: StaticHost | undefined;

afterEach(async () => {
  await session?.close();
  await host?.close();
  session = undefined;
  host = undefined;
});

describe('first page', () => {
  it('loads verified models, shows the camera with detected faces, and stays on its own origin', async () => {
    session = await openSession({ clip: clips.onePerson });
    const { page } = session;
    await page.goto(baseUrl);
    await page.waitForSelector('[data-testid="app"][data-state="running"]', { timeout: 120_000 });

    // The status line reports the backend tfjs really runs (it falls back silently otherwise).
    const backend = await page.getAttribute('[data-testid="status"]', 'data-backend');
    expect(backend).toBe('wasm');
    // Inference runs in the worker; the page only draws.
    expect(await page.getAttribute('[data-testid="status"]', 'data-thread')).toBe('worker');

    // Every model file came with the sha256 the manifest pins (the loader refuses anything else),
    // and was fetched from our origin.
    const manifest = (await (await fetch(new URL('models/manifest.json', baseUrl))).json()) as {
      models: { id: string; files: { path: string }[] }[];
    };
    const needed = manifest.models.filter((m) => m.id === 'blazeface' || m.id === 'facemesh').flatMap((m) => m.files.map((f) => f.path));
    for (const file of needed) {
      expect(session.requests.some((u) => u.endsWith(`/models/${file}`))).toBe(true);
    }

    // The fake camera shows one person: the detector finds a face and says so.
    await page.waitForSelector('[data-testid="status"][data-faces="1"]', { timeout: 60_000 });

    // The start is timed step by step (User Timing marks that the first-label benchmark reads), in order.
    const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark')
      .filter((m) => m.name.startsWith('visage:'))
      .map((m) => [m.name.slice(7), { at: m.startTime, detail: (m as PerformanceMark).detail as Record<string, number> | null }])));
    for (const moment of ['vision-start', 'vision-ready', 'camera-ready', 'first-frame', 'first-result']) expect(marks[moment], moment).toBeDefined();
    expect(marks['vision-start']?.at).toBeLessThan(marks['vision-ready']?.at ?? 0);
    expect(marks['first-frame']?.at).toBeLessThanOrEqual(marks['first-result']?.at ?? 0);
    const steps = marks['vision-ready']?.detail ?? {};
    expect(Object.keys(steps).sort()).toEqual(['backend', 'detector', 'embedder', 'manifest', 'models', 'renderer', 'script', 'warm-up']);
    // The model files are read while the engine's code loads, so they may end before it; the rest is a chain.
    const at = (step: string) => steps[step] ?? NaN;
    const chain: [string, string][] = [['manifest', 'models'], ['script', 'renderer'], ['renderer', 'backend'], ['models', 'detector'], ['backend', 'detector'], ['detector', 'embedder'], ['embedder', 'warm-up']];
    for (const [before, after] of chain) {
      expect(at(before), `${before} ≤ ${after}`).toBeLessThanOrEqual(at(after));
    }
    // Settings tells the user how long the engine took to be ready.
    await page.click('[data-testid="tab-settings"]');
    await expect.poll(() => page.textContent('[data-testid="backend-timings"]')).toMatch(/It was ready \d+\.\d s after it started/);
    await page.click('[data-testid="tab-recognize"]');

    // Written on every run (ignored by git); docs/screenshots/running.png is a reviewed copy for the README.
    const shots = resolve(import.meta.dirname, '../../test-results/screenshots');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: resolve(shots, 'running.png') });

    expect(offOriginRequests(session.requests, baseUrl)).toEqual([]);
    expect(session.errors).toEqual([]);
  });

  it('lays the overlay exactly over the video, at the video frame size', async () => {
    session = await openSession({ clip: clips.onePerson });
    const { page } = session;
    await page.goto(baseUrl);
    await page.waitForSelector('[data-testid="app"][data-state="running"]', { timeout: 120_000 });
    await page.waitForFunction(() => (document.querySelector('video')?.videoWidth ?? 0) > 0);
    const geometry = await page.evaluate(() => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="video"]');
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="overlay"]');
      if (!video || !canvas) throw new Error('video or overlay missing');
      const v = video.getBoundingClientRect();
      const c = canvas.getBoundingClientRect();
      return {
        video: [v.x, v.y, v.width, v.height],
        canvas: [c.x, c.y, c.width, c.height],
        frame: [video.videoWidth, video.videoHeight],
        backing: [canvas.width, canvas.height],
        mirrored: video.classList.contains('mirrored'),
      };
    });
    expect(geometry.frame).toEqual([640, 480]);
    expect(geometry.backing).toEqual(geometry.frame);
    for (let i = 0; i < 4; i++) expect(geometry.canvas[i]).toBeCloseTo(geometry.video[i] ?? NaN, 0);
    // The displayed video keeps the camera's aspect ratio, so boxes drawn in frame pixels land on faces.
    const [, , w = 0, h = 0] = geometry.video;
    expect(w / h).toBeCloseTo(640 / 480, 2);
    // The fake device reports no facingMode: a desktop webcam faces the user, so the preview is mirrored.
    expect(geometry.mirrored).toBe(true);

    // The box is drawn where the face is, in the label's colour: the middle of the box's left edge (in
    // the mirrored picture) is stroked, its centre is left clear.
    await page.waitForSelector('[data-testid="labels"] li');
    const drawn = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="overlay"]');
      const li = document.querySelector<HTMLElement>('[data-testid="labels"] li');
      const ctx = canvas?.getContext('2d');
      if (!canvas || !li || !ctx) throw new Error('overlay or label missing');
      const [x = 0, y = 0, w = 0, h = 0] = (li.dataset.box ?? '').split(',').map(Number);
      const left = canvas.width - (x + w); // mirrored in maths, as the overlay draws it
      const rgb = (px: number, py: number) => [...ctx.getImageData(px, py, 1, 1).data];
      // The label may trail the canvas by a frame: look a few pixels either side of the edge.
      const edge = Array.from({ length: 9 }, (_, i) => rgb(left - 4 + i, Math.round(y + h / 2)));
      return { tone: li.dataset.tone, edge, centre: rgb(Math.round(left + w / 2), Math.round(y + h / 2)) };
    });
    expect(drawn.tone).toBe('unknown'); // nobody is enrolled
    expect(drawn.edge.some(([r = 0, g = 0, b = 0, a = 0]) => a > 200 && Math.abs(r - 0xf8) < 24 && Math.abs(g - 0x71) < 24 && Math.abs(b - 0x71) < 24)).toBe(true);
    expect(drawn.centre[3]).toBe(0);
  });

  it('explains a denied camera and what to do about it', async () => {
    session = await openSession({});
    const { page } = session;
    await page.goto(baseUrl);
    await page.waitForSelector('[data-testid="app"][data-state="camera-denied"]', { timeout: 60_000 });
    const text = await page.textContent('[data-testid="camera-problem"]');
    expect(text).toContain('Camera permission denied');
    expect(text).toContain('Allow the camera');
    expect(offOriginRequests(session.requests, baseUrl)).toEqual([]);
  });

  it('refuses a corrupt model file, naming it and its expected sha256', async () => {
    // A host serving facemesh.bin with one byte flipped, as a damaged disk or a tampering proxy would.
    // Damaged at the source, not intercepted: the models are fetched by the worker and the service
    // worker, which may start before a test's request interception reaches them.
    const damaged = mkdtempSync(join(tmpdir(), 'visage-damaged-'));
    cpSync(builds.v1, damaged, { recursive: true });
    const bin = join(damaged, 'models/facemesh.bin');
    const body = readFileSync(bin);
    body[4096] = (body[4096] ?? 0) ^ 0xff;
    writeFileSync(bin, body);
    host = await startStaticHost(damaged, '/');
    session = await openSession({ clip: clips.onePerson });
    const { page } = session;
    const manifest = (await (await fetch(new URL('models/manifest.json', baseUrl))).json()) as {
      models: { files: { path: string; sha256: string }[] }[];
    };
    const expected = manifest.models.flatMap((m) => m.files).find((f) => f.path === 'facemesh.bin')?.sha256;
    await page.goto(host.url);
    await page.waitForSelector('[data-testid="app"][data-state="model-error"]', { timeout: 60_000 });
    const text = await page.textContent('[data-testid="model-error"]');
    expect(text).toContain('facemesh.bin is corrupt');
    expect(text).toContain(expected);
    // The service worker, once in control with its core models fetched, kept the good files and not this one.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
    const kept = await page.waitForFunction(async () => {
      const name = (await caches.keys()).find((k) => k.startsWith('visage-models-'));
      const urls = name ? (await (await caches.open(name)).keys()).map((r) => r.url) : [];
      return urls.some((u) => u.endsWith('/blazeface.bin')) ? urls : false;
    }, undefined, { timeout: 60_000 });
    const urls = (await kept.jsonValue()) as string[];
    expect(urls.some((u) => u.endsWith('/facemesh.bin'))).toBe(false);
  });
});
