// `npm run soak [-- --minutes 30] [--switch-samples 500]`: the production build recognising the fake
// camera for a long run (not a test: it takes half an hour). First, a user of the old default with a
// gallery of N samples (one enrolled from the camera on dlib-resnet, cloned to N) opens the app having
// never chosen a model: every sample is re-embedded for the new default while recognition goes on, and
// the embed requests the page sends the worker are counted. Then it samples every minute: frames, fps,
// tfjs tensors in the worker, the page's and the inference worker's JS heaps after a forced GC, and
// console errors (Chromium reports every VideoFrame or ImageBitmap collected unclosed as one). Writes
// test-results/soak/soak.json and prints a table.
import { parseArgs } from 'node:util';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSession } from '../tests/e2e/browser.ts';
import { CLIPS, writeClip } from '../tests/e2e/fake-camera.ts';
import { seedPeople } from '../tests/e2e/seed.ts';
import { enrollFromCamera, labelsAfterSettling, named } from '../tests/e2e/journey.ts';
import { cloneSamples, COUNT_EMBED_REQUESTS, embedRequests } from './soak/model-switch.ts';
import { startStaticHost } from '../tests/e2e/static-host.ts';
import { WorkerHeap } from './worker-heap.ts';
import { buildApp } from './bench/app-load.ts';

const root = resolve(import.meta.dirname, '..');
const { values: flags } = parseArgs({ options: { minutes: { type: 'string', default: '30' }, 'switch-samples': { type: 'string', default: '500' } } });
const minutes = Number(flags.minutes);
const switchSamples = Number(flags['switch-samples']);
if (!Number.isFinite(minutes) || minutes <= 0) throw new Error('--minutes needs a positive number');
if (!Number.isInteger(switchSamples) || switchSamples < 0) throw new Error('--switch-samples needs a whole number (0: no model switch)');

interface Sample {
  minute: number;
  frames: number;
  fps: number;
  tensors: number | null;
  pageHeapMB: number;
  workerHeapMB: number;
  sightings: number;
  errors: number;
}

buildApp();
const clip = writeClip(mkdtempSync(join(tmpdir(), 'visage-soak-')), CLIPS.onePersonLive);
const host = await startStaticHost(resolve(root, 'dist'), '/');
const session = await openSession({ clip, extraArgs: ['--js-flags=--expose-gc'] });
const { page } = session;
// tsx keeps function names with an `__name` helper that functions sent to the page would call.
await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
await page.addInitScript({ content: COUNT_EMBED_REQUESTS });
await page.goto(host.url);
const running = '[data-testid="app"][data-state="running"]';
await page.waitForSelector(running, { timeout: 180_000 });
let modelSwitch: { samples: number; embedRequests: number; seconds: number; servingBefore: string | null; servingAfter: string | null } | null = null;
if (switchSamples > 0) {
  // The old default's user: enrolled on dlib-resnet from the camera, the gallery grown to N samples.
  await page.click('[data-testid="tab-settings"]');
  await page.selectOption('[data-testid="settings-model"]', 'dlib-resnet');
  await page.waitForSelector('[data-testid="app"][data-model="dlib-resnet"][data-state="running"]', { timeout: 180_000 });
  await enrollFromCamera(page, 'Ada');
  const samples = await cloneSamples(page, 'dlib-resnet', switchSamples);
  await page.reload();
  await page.waitForSelector(running, { timeout: 180_000 });
  const servingBefore = await page.getAttribute('[data-testid="app"]', 'data-model');
  const started = Date.now();
  await page.waitForSelector('[data-testid="app"][data-model="arcface-mobilefacenet"][data-state="running"]', { timeout: 30 * 60_000 });
  modelSwitch = { samples, embedRequests: await embedRequests(page), seconds: (Date.now() - started) / 1000, servingBefore, servingAfter: await page.getAttribute('[data-testid="app"]', 'data-model') };
  await labelsAfterSettling(page, named('Ada'));
  process.stderr.write(`model switch: ${JSON.stringify(modelSwitch)}\n`);
} else {
  // A gallery to match against, so the whole path (matching, voting, the sightings log) runs.
  await seedPeople(page, [{ name: 'Ada' }, { name: 'Bob' }, { name: 'Cy' }], 3);
  await page.reload();
  await page.waitForSelector(running, { timeout: 180_000 });
}
const cdp = await session.context.newCDPSession(page);
const browser = session.context.browser();
if (!browser) throw new Error('The soak needs a browser it can open a CDP session on');
const workerHeap = await WorkerHeap.attach(browser, 'vision-worker');

async function sample(minute: number): Promise<Sample> {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const seen = await page.evaluate(async () => {
    const status = document.querySelector('[data-testid="status"]');
    const db = await new Promise<IDBDatabase>((done, fail) => {
      const open = indexedDB.open('visage');
      open.onsuccess = () => done(open.result);
      open.onerror = () => fail(open.error ?? new Error('open failed'));
    });
    const count = await new Promise<number>((done) => {
      const req = db.transaction('sightings').objectStore('sightings').count();
      req.onsuccess = () => done(req.result);
    });
    db.close();
    return {
      frames: Number(document.querySelector('[data-testid="labels"]')?.getAttribute('data-frame')),
      tensors: status?.getAttribute('data-tensors') ? Number(status.getAttribute('data-tensors')) : null,
      sightings: count,
    };
  });
  return {
    minute, frames: seen.frames, fps: 0, tensors: seen.tensors, pageHeapMB: heap.usedSize / 1e6, workerHeapMB: await workerHeap.usedMB(),
    sightings: seen.sightings, errors: session.errors.length,
  };
}

const samples: Sample[] = [await sample(0)];
for (let m = 1; m <= minutes; m++) {
  await page.waitForTimeout(60_000);
  const s = await sample(m);
  const prev = samples[samples.length - 1] as Sample;
  s.fps = (s.frames - prev.frames) / 60;
  samples.push(s);
  process.stderr.write(`minute ${m}/${minutes}: ${s.fps.toFixed(1)} fps, ${s.tensors ?? '?'} tensors, heap ${s.pageHeapMB.toFixed(1)} MB page / ${s.workerHeapMB.toFixed(1)} MB worker, ${s.errors} errors\n`);
}
const errors = [...session.errors];
await session.close();
await host.close();

const last = samples[samples.length - 1] as Sample;
// Minute 0 is taken right after the reload: compare from the end of minute 1, once everything is warm.
const first = samples[1] ?? last;
const summary = {
  minutes,
  modelSwitch,
  frames: last.frames,
  meanFps: samples.slice(1).reduce((s, x) => s + x.fps, 0) / Math.max(1, samples.length - 1),
  tensorsAfterMinute1: first.tensors,
  tensorsAtEnd: last.tensors,
  pageHeapMBAfterMinute1: first.pageHeapMB,
  pageHeapMBAtEnd: last.pageHeapMB,
  heapGrowthPercent: ((last.pageHeapMB - first.pageHeapMB) / first.pageHeapMB) * 100,
  workerHeapMBAfterMinute1: first.workerHeapMB,
  workerHeapMBAtEnd: last.workerHeapMB,
  workerHeapGrowthPercent: ((last.workerHeapMB - first.workerHeapMB) / first.workerHeapMB) * 100,
  consoleErrors: errors,
};
const out = resolve(root, 'test-results/soak');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'soak.json'), JSON.stringify({ summary, samples }, null, 2));
console.log('| minute | frames | fps | tensors | page heap MB | worker heap MB | sightings rows | console errors |');
console.log('|---|---|---|---|---|---|---|---|');
for (const s of samples) console.log(`| ${s.minute} | ${s.frames} | ${s.fps.toFixed(1)} | ${s.tensors ?? '?'} | ${s.pageHeapMB.toFixed(2)} | ${s.workerHeapMB.toFixed(2)} | ${s.sightings} | ${s.errors} |`);
console.log(JSON.stringify(summary, null, 2));
