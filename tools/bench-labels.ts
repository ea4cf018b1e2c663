// `npm run bench:labels`: what a user feels — time from page load to the first name on screen
// (median of 5 loads), and label flicker over 300 analysed frames of one enrolled face that moves a
// little with sensor noise. Debian Chromium + fake camera + the production build. A benchmark, not a test.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { preview } from 'vite';
import { openProfile } from '../tests/e2e/browser.ts';
import { CLIPS, writeClip } from '../tests/e2e/fake-camera.ts';
import { buildApp } from './bench/app-load.ts';

const root = resolve(import.meta.dirname, '..');
const FRAMES = 300;
const LOADS = 5;

buildApp();
const server = await preview({ root, preview: { port: 0, strictPort: false, host: '127.0.0.1' }, logLevel: 'warn' });
const url = server.resolvedUrls?.local[0] ?? '';
const clipDir = resolve(root, '.cache/e2e');
const still = writeClip(clipDir, CLIPS.onePerson);
const live = writeClip(clipDir, CLIPS.onePersonLive);
const profile = mkdtempSync(join(tmpdir(), 'visage-bench-'));

// Enroll Ada once, through the UI.
let s = await openProfile(profile, { clip: still });
await s.page.goto(url);
await s.page.waitForSelector('[data-state="running"]', { timeout: 180_000 });
await s.page.click('[data-testid="tab-enroll"]');
await s.page.fill('[data-testid="enroll-name"]', 'Ada');
await s.page.click('[data-testid="enroll-capture"]');
await s.page.waitForSelector('[data-testid="enroll-samples"][data-count="5"]', { timeout: 120_000 });
await s.page.click('[data-testid="enroll-save"]');
await s.page.waitForSelector('[data-testid="tab-recognize"][aria-current="page"]'); // saved
await s.close();

s = await openProfile(profile, { clip: live });
const firstLabel: number[] = [];
const timelines: Record<string, unknown>[] = [];
for (let i = 0; i < LOADS; i++) {
  await s.page.goto(`${url}?load=${i}`);
  // performance.now() in the page counts from the navigation's start.
  const handle = await s.page.waitForFunction(() => {
    const named = [...document.querySelectorAll('[data-testid="labels"] li')].some((li) => li.textContent?.startsWith('Ada ·'));
    return named ? performance.now() : false;
  }, undefined, { timeout: 180_000, polling: 20 });
  firstLabel.push(Number(await handle.jsonValue()));
  // Where the time went: the app's own marks (src/ui/startup-marks.ts), ms from navigation start.
  timelines.push(await s.page.evaluate(() => {
    const at: Record<string, number | Record<string, number>> = {};
    for (const m of performance.getEntriesByType('mark')) {
      if (!m.name.startsWith('visage:')) continue;
      at[m.name.slice(7)] = Math.round(m.startTime);
      if (m.name === 'visage:vision-ready') at['engine steps (ms from engine start)'] = (m as PerformanceMark).detail as Record<string, number>;
      const compute = ((m as PerformanceMark).detail as { computeMs?: number } | null)?.computeMs;
      if (m.name === 'visage:first-result' && compute !== undefined) at['first frame: engine ms'] = compute;
    }
    return at;
  }));
}

// Follow the label frame by frame for 300 analysed frames.
const trace = await s.page.evaluate(async (frames) => {
  const list = document.querySelector('[data-testid="labels"]');
  if (!list) throw new Error('no label list');
  const start = Number(list.getAttribute('data-frame'));
  const seen: { frame: number; at: number; labels: string[]; boxes: string[] }[] = [];
  return new Promise<typeof seen>((done) => {
    const observer = new MutationObserver(() => {
      const frame = Number(list.getAttribute('data-frame'));
      if (seen.at(-1)?.frame === frame) return;
      seen.push({ frame, at: performance.now(), labels: [...list.querySelectorAll('li')].map((li) => (li.textContent ?? '').split(' · ')[0] ?? ''), boxes: [...list.querySelectorAll('li')].map((li) => li.getAttribute('data-box') ?? '') });
      if (frame - start >= frames) {
        observer.disconnect();
        done(seen);
      }
    });
    observer.observe(list, { attributes: true, childList: true, subtree: true, characterData: true });
  });
}, FRAMES);
await s.close();
await server.close();

const names = trace.map((t) => t.labels.join('+'));
let switches = 0;
for (let i = 1; i < names.length; i++) if (names[i] !== names[i - 1]) switches++;
const notAda = names.filter((n) => n !== 'Ada').length;
// Frames analysed per second over the trace, as the user sees labels update (one face moving a little).
const [first, last] = [trace[0], trace.at(-1)];
const fps = first && last && last.at > first.at ? ((last.frame - first.frame) * 1000) / (last.at - first.at) : Number.NaN;
const sorted = [...firstLabel].sort((a, b) => a - b);
const result = {
  timeToFirstLabelMs: { median: sorted[Math.floor(LOADS / 2)], all: firstLabel.map(Math.round) },
  timelines,
  frames: names.length,
  fps: Math.round(fps * 10) / 10,
  labelSwitches: switches,
  framesNotNamedAda: notAda,
  labelsSeen: [...new Set(names)],
  // Where faces other than the one person were seen (a phantom, or the person twice), frame by frame.
  otherFaces: trace.filter((t) => t.labels.join('+') !== 'Ada').slice(0, 20).map((t) => ({ frame: t.frame, labels: t.labels, boxes: t.boxes })),
};
console.log(JSON.stringify(result, null, 2));
