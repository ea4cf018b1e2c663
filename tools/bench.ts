// `npm run bench`: Visage against Human in Debian Chromium on the same fake-camera frames, per backend,
// plus what a user feels in the real app (time to first label cold and warm, effective fps, main-thread
// long tasks) and the Node matching micro-benchmark. Writes test-results/bench/bench.json and prints the
// tables for docs/PERFORMANCE.md. A benchmark, not a test: it asserts nothing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openProfile, openSession } from '../tests/e2e/browser.ts';
import { CLIPS, writeClip } from '../tests/e2e/fake-camera.ts';
import { waitOfflineReady } from '../tests/e2e/offline-ready.ts';
import { startStaticHost } from '../tests/e2e/static-host.ts';
import { buildApp, marksInOrder, SOFTWARE_COMPOSITING, startupMarks, waitFirstLabel } from './bench/app-load.ts';
import type { RunResult } from './bench/bench-page.ts';
import { attribute, describeLongTasks, OBSERVE_MAIN_THREAD, type MainThreadLog } from './bench/long-frames.ts';
import { traceLongTasks, type TracedTask } from './bench/main-thread-trace.ts';
import { describeUse, sampler, snapshot, usedBetween, usedWithin } from './bench/thread-cpu.ts';

const root = resolve(import.meta.dirname, '..');
const quick = process.argv.includes('--quick');
const backends = (process.argv.find((a) => a.startsWith('--backends='))?.slice(11) ?? 'wasm,webgl,cpu');
const frames = quick ? 'wasm:100,webgl:10,cpu:4' : 'wasm:1000,webgl:20,cpu:6';
// --clip=crossing (default: three people walking across at a changing size, nothing still) or steady
// (one person sitting still, where tracking reuses almost every detection).
const clipName = process.argv.find((a) => a.startsWith('--clip='))?.slice(7) ?? 'crossing';
if (clipName !== 'crossing' && clipName !== 'steady') throw new Error('--clip is crossing or steady');
// --models=a,b: Visage's pipelines with each embedder in the same run (default: the default embedder).
const models = process.argv.find((a) => a.startsWith('--models='))?.slice(9) ?? 'arcface-mobilefacenet';
// The moving clip is grabbed frame by frame at the camera's 30 fps, in order: one sweep.
const grab = clipName === 'crossing' ? '90:33' : '30:40';
// --app-only: just the app part (first label, fps, long tasks with their attribution), to look into one.
const appOnly = process.argv.includes('--app-only');
const recogniseSeconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 20);
// --trace: afterwards, trace the main thread for as long again and list what is inside each long task.
const trace = process.argv.includes('--trace');

buildApp();
if (!appOnly) buildApp(['--config', 'tools/bench/vite.config.ts']);
const clip = writeClip(resolve(root, '.cache/e2e'), clipName === 'crossing' ? CLIPS.crossing : CLIPS.onePersonSteady);
const app = await startStaticHost(resolve(root, 'dist'), '/');

// 1. Side by side on the same frames.
async function sideBySide(): Promise<RunResult[]> {
  const benchPage = await startStaticHost(resolve(root, '.cache/bench-dist'), '/');
  console.log(`pipelines on ${backends} (${frames} frames)…`);
  const session = await openSession({ clip, extraArgs: ['--js-flags=--expose-gc', '--enable-precise-memory-info'] });
  await session.page.goto(`${benchPage.url}?backends=${backends}&frames=${frames}&models=${models}&grab=${grab}`);
  session.page.on('console', (m) => console.log(`  page: ${m.text()}`));
  const handle = await session.page.waitForFunction(() => window.benchResult, undefined, { timeout: 1_800_000, polling: 1000 });
  const outcome = (await handle.jsonValue()) as { ok: true; results: RunResult[] } | { ok: false; error: string };
  await session.close();
  await benchPage.close();
  if (!outcome.ok) throw new Error(`bench page failed: ${outcome.error}`);
  return outcome.results;
}
const pipelines = appOnly ? [] : await sideBySide();

// 2. The real app. First label (cold profiles, then warm reloads of the last) on the steady clip, whose
// face is in view from the camera's first frame: the crossing clip opens on an empty picture, and its
// first label would time the people walking in. Then fps and long tasks while recognising the
// benchmark's clip. Three cold loads, each in a new profile: one alone moved by ±0.4 s between runs.
// With software compositing (SOFTWARE_COMPOSITING says why); the emulated GPU compositor is measured
// as well, at the end.
const COLD_LOADS = 3;
const steadyClip = writeClip(resolve(root, '.cache/e2e'), CLIPS.onePersonSteady);
const freshProfile = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'visage-bench-'));
  const s = await openProfile(dir, { clip: steadyClip, extraArgs: SOFTWARE_COMPOSITING });
  await s.context.addInitScript({ content: OBSERVE_MAIN_THREAD });
  return { dir, s };
};
let { dir: profile, s: session } = await freshProfile();
/**
 * Loads the app (`go`) and waits for the first label: ms from navigation, the app's own startup marks
 * (src/ui/startup-marks.ts) on the way, and each thread's CPU during the first camera frame's analysis.
 */
const firstLabel = async (go: () => Promise<unknown>) => {
  const cpu = sampler();
  await go();
  const at = await waitFirstLabel(session.page, 300_000);
  const snaps = cpu.stop();
  const { origin, marks, engine } = await startupMarks(session.page);
  const firstFrameCpu = marks['first-frame'] !== undefined && marks['first-result'] !== undefined
    ? usedWithin(snaps, origin + marks['first-frame'], origin + marks['first-result'])
    : null;
  return { at, marks, engine, firstFrameCpu };
};
const colds: Awaited<ReturnType<typeof firstLabel>>[] = [];
for (let i = 0; i < COLD_LOADS; i++) {
  if (i > 0) {
    await session.close();
    ({ dir: profile, s: session } = await freshProfile());
  }
  colds.push(await firstLabel(() => session.page.goto(app.url)));
}
// Warm means from the service worker's cache: a reload while it still installs would race its install.
await waitOfflineReady(session.page);
const warm: Awaited<ReturnType<typeof firstLabel>>[] = [];
for (let i = 0; i < 3; i++) warm.push(await firstLabel(() => session.page.reload()));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const coldFirstLabelMs = colds.map((c) => c.at);
const warmFirstLabelMs = warm.map((w) => w.at);
await session.close();
session = await openProfile(profile, { clip, extraArgs: SOFTWARE_COMPOSITING });
await session.context.addInitScript({ content: OBSERVE_MAIN_THREAD });
await firstLabel(() => session.page.goto(app.url));
// Recognition running: frames analysed per second, and main-thread long tasks after the first label.
const labelledAt = await session.page.evaluate(() => performance.now());
const frameAt = async () => Number(await session.page.getAttribute('[data-testid="labels"]', 'data-frame'));
/** Frames analysed a second over `recogniseSeconds`, and each thread's CPU ms a second meanwhile. */
const recognising = async () => {
  const f0 = await frameAt();
  const t0 = Date.now();
  const cpu0 = snapshot();
  await session.page.waitForTimeout(recogniseSeconds * 1000);
  const fps = ((await frameAt()) - f0) / ((Date.now() - t0) / 1000);
  return { fps, cpu: usedBetween(cpu0, snapshot()).map((t) => ({ ...t, ms: t.ms / recogniseSeconds })) };
};
const { fps: appFps, cpu: recognisingCpu } = await recognising();
const mainThread = await session.page.evaluate(() => (window as unknown as { __mainThread: MainThreadLog }).__mainThread);
const longTasks = attribute(mainThread, labelledAt);
const thread = await session.page.getAttribute('[data-testid="status"]', 'data-thread');
const appBackend = await session.page.getAttribute('[data-testid="status"]', 'data-backend');
// Traced apart from the measured window: tracing itself slows the page.
let traced: TracedTask[] | null = null;
if (trace) traced = await traceLongTasks(await session.context.newCDPSession(session.page), (ms) => session.page.waitForTimeout(ms), recogniseSeconds * 1000);
await session.close();
// The same with the test flags' compositor (SwiftShader emulating a GPU), for comparison.
session = await openProfile(profile, { clip });
await firstLabel(() => session.page.goto(app.url));
const emulatedGpuCompositor = await recognising();
await session.close();
await app.close();

// 3. Matching in Node.
type MatchingRow = { samples: number; p50Ms: number; p95Ms: number };
const matching = appOnly ? { rows: [] as MatchingRow[] } : JSON.parse(execFileSync(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), resolve(root, 'tools/bench-matching.ts'), '--json'], { encoding: 'utf8' })) as { rows: MatchingRow[] };

const report = {
  date: new Date().toISOString(),
  clip: clipName,
  machine: `${process.platform} ${process.arch}, ${(await import('node:os')).cpus().length} cores, Debian Chromium (software WebGL)`,
  pipelines,
  app: { thread, backend: appBackend, coldFirstLabelMs, coldFirstLabelMedianMs: median(coldFirstLabelMs), warmFirstLabelMs, firstLabelMarks: { colds, warm }, warmFirstLabelMedianMs: median(warmFirstLabelMs), fps: appFps, recogniseSeconds, longTasksOver50ms: longTasks.length, longestTaskMs: Math.max(0, ...longTasks.map((t) => t.task.duration)), longTasks, traced, recognisingCpuMsPerSecond: recognisingCpu, emulatedGpuCompositor: { fps: emulatedGpuCompositor.fps, recognisingCpuMsPerSecond: emulatedGpuCompositor.cpu } },
  matching: matching.rows,
};
const out = resolve(root, 'test-results/bench');
mkdirSync(out, { recursive: true });
writeFileSync(resolve(out, appOnly ? 'bench-app.json' : 'bench.json'), JSON.stringify(report, null, 2));

const f = (n: number | null, d = 1) => (n === null || !Number.isFinite(n) ? '—' : n.toFixed(d));
console.log(`\nclip: ${clipName}`);
console.log('| backend | pipeline | model | frames | still | blazeface | faces/frame | ms/frame p50 | p95 | fps | tensors @10 → end | heap MB @10 → end | ÷ Human (p50) | ÷ Human uncached |');
console.log('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|');
for (const r of pipelines) {
  const against = (name: RunResult['pipeline']) => {
    const h = pipelines.find((x) => x.pipeline === name && x.backend === r.backend);
    return r.pipeline.startsWith('visage') && h ? f(r.p50 / h.p50, 2) : '';
  };
  const mb = (b: number | null) => (b === null ? '—' : (b / 1e6).toFixed(1));
  console.log(`| ${r.backend} | ${r.pipeline} | ${r.model ?? 'faceres (Human)'} | ${r.frames} | ${r.stillFrames ?? '—'} | ${r.blazefaceRuns ?? '—'} | ${f(r.facesPerFrame, 2)} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.fps)} | ${r.tensorsAt10 ?? '—'} → ${r.tensorsAtEnd} | ${mb(r.heapAt10)} → ${mb(r.heapAtEnd)} | ${against('human')} | ${against('human-uncached')} |`);
}
console.log('\n| backend | pipeline | model | pixels ms | detection (blazeface + mesh) ms | embedding (warp + model) ms | matching ms |');
console.log('|---|---|---|---:|---:|---:|---:|');
for (const r of pipelines) {
  if (r.stageMs) console.log(`| ${r.backend} | ${r.pipeline} | ${r.model ?? ''} | ${f(r.stageMs.pixels)} | ${f(r.stageMs.detection)} | ${f(r.stageMs.embedding)} | ${f(r.stageMs.matching, 2)} |`);
}
for (const r of pipelines.filter((p) => p.heapEvery100.length > 2)) {
  console.log(`heap after gc every 100 frames, ${r.backend} ${r.pipeline} (MB): ${r.heapEvery100.map((b) => (b === null ? '—' : (b / 1e6).toFixed(1))).join(' ')}`);
}
console.log('\nFirst label (steady clip), ms from navigation; engine steps in ms on the worker\'s clock:');
for (const c of colds) console.log(`  cold ${f(c.at, 0)} (${marksInOrder(c.marks)}); engine: ${JSON.stringify(c.engine)}`);
for (const w of warm) console.log(`  warm ${f(w.at, 0)} (${marksInOrder(w.marks)}); engine: ${JSON.stringify(w.engine)}`);
for (const [name, l] of [...colds.map((c, i) => [`cold ${i + 1}`, c] as const), ...warm.map((w, i) => [`warm ${i + 1}`, w] as const)]) {
  if (l.firstFrameCpu) console.log(`  CPU ms in the first frame's ${l.firstFrameCpu.wallMs} ms, ${name}: ${describeUse(l.firstFrameCpu.threads)}`);
}
console.log(`\nApp (${appBackend} on the ${thread}, software compositing, ${clipName} clip for fps): first label cold median ${f(report.app.coldFirstLabelMedianMs, 0)} ms (${coldFirstLabelMs.map((x) => x.toFixed(0)).join(', ')}), warm median ${f(report.app.warmFirstLabelMedianMs, 0)} ms (${warmFirstLabelMs.map((x) => x.toFixed(0)).join(', ')}); ${f(appFps)} fps; long tasks > 50 ms in ${recogniseSeconds} s of recognising: ${longTasks.length} (longest ${f(report.app.longestTaskMs, 0)} ms)`);
if (recognisingCpu.length > 0) console.log(`CPU ms a second while recognising (2 cores: 2,000 in all): ${describeUse(recognisingCpu, 8)}`);
console.log(`With SwiftShader emulating a GPU for the compositor (the test flags): ${f(emulatedGpuCompositor.fps)} fps; CPU ms a second: ${describeUse(emulatedGpuCompositor.cpu, 8)}`);
for (const line of describeLongTasks(longTasks, labelledAt)) console.log(line);
if (traced) {
  console.log(`traced ${recogniseSeconds} s more (tracing slows the page): ${traced.length} tasks > 50 ms`);
  for (const t of traced) console.log(`  ${t.ms.toFixed(0)} ms — ${t.inside.join('; ') || 'nothing over 3 ms inside'}`);
}
console.log('\n| samples | matching p50 ms | p95 ms |\n|---:|---:|---:|');
for (const r of matching.rows) console.log(`| ${r.samples.toLocaleString('en')} | ${f(r.p50Ms, 2)} | ${f(r.p95Ms, 2)} |`);
console.log(`\nwritten: ${resolve(out, appOnly ? 'bench-app.json' : 'bench.json')}`);
