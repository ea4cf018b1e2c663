// `npm run bench:reloads`: where the seconds of the first loads after a first visit go. One cold load in a
// new profile, then (once the service worker holds the models) reloads, each traced: ms from navigation to
// the first label, the CPU each thread used until then, and V8's parse, compile and code-cache work per
// thread. It found that the inference worker's modules are parsed and compiled afresh on the first two
// reloads (V8 writes their code cache then) and read from that cache from the third on. Asserts nothing.
// `--reloads=N` (default 3).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openProfile } from '../tests/e2e/browser.ts';
import { CLIPS, writeClip } from '../tests/e2e/fake-camera.ts';
import { waitOfflineReady } from '../tests/e2e/offline-ready.ts';
import { startStaticHost } from '../tests/e2e/static-host.ts';
import { markAt, printSelfTimes } from './bench/self-times.ts';
import { describeUse, snapshot, usedBetween } from './bench/thread-cpu.ts';
import { buildApp, marksInOrder, recordTrace, SOFTWARE_COMPOSITING, startupMarks, threadNames, waitFirstLabel } from './bench/app-load.ts';

const root = resolve(import.meta.dirname, '..');
const reloads = Number(process.argv.find((a) => a.startsWith('--reloads='))?.slice(10) ?? 3);
const profile = process.argv.includes('--profile');
const CATEGORIES = `v8,v8.execute,disabled-by-default-v8.compile,devtools.timeline${profile ? ',disabled-by-default-v8.cpu_profiler,blink.user_timing' : ''}`;
// V8's own names for parsing, compiling and reading or writing the code cache.
const V8_LOADING = /^(V8\.(ParseProgram|PreParse|ParseFunction|CompileCode|CompileScript|CompileSerialize|CompileDeserialize)|v8\.(compileModule|produceModuleCache|produceCache|consumeCache|parseOnBackground))$/;

// Unminified, the profile names tfjs's and Human's functions.
buildApp(profile ? ['--minify', 'false'] : []);
const host = await startStaticHost(resolve(root, 'dist'), '/');
const clip = writeClip(resolve(root, '.cache/e2e'), CLIPS.onePersonSteady);
const session = await openProfile(mkdtempSync(join(tmpdir(), 'visage-reloads-')), { clip, extraArgs: SOFTWARE_COMPOSITING });
const { page } = session;

await page.goto(host.url);
console.log(`cold: first label ${Math.round(await waitFirstLabel(page))} ms`);
await waitOfflineReady(page);
const cdp = await page.context().newCDPSession(page);
for (let i = 1; i <= reloads; i++) {
  const { result: { at, cpu }, events } = await recordTrace(cdp, CATEGORIES, async () => {
    const before = snapshot();
    await page.reload();
    const label = await waitFirstLabel(page);
    return { at: label, cpu: usedBetween(before, snapshot()) };
  });
  const names = threadNames(events);
  const perThread = new Map<string, Map<string, number>>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined || !V8_LOADING.test(e.name)) continue;
    const thread = names.get(`${e.pid}:${e.tid}`) ?? '?';
    const sums = perThread.get(thread) ?? new Map<string, number>();
    sums.set(e.name, (sums.get(e.name) ?? 0) + e.dur / 1000);
    perThread.set(thread, sums);
  }
  const { marks, engine } = await startupMarks(page);
  console.log(`\nreload ${i}: first label ${Math.round(at)} ms (${marksInOrder(marks)}; worker: ${marksInOrder(engine)})`);
  // Both cores are busy while a page starts: work moved earlier on one thread can make another later.
  console.log(`  CPU ms to the first label (${Math.round(cpu.reduce((n, t) => n + t.ms, 0))} in all): ${describeUse(cpu, 8)}`);
  console.log('  V8 parse / compile / code cache, ms (events nest, so they overlap):');
  for (const [thread, sums] of perThread) {
    const top = [...sums].filter(([, ms]) => ms >= 5).sort((a, b) => b[1] - a[1]);
    if (top.length > 0) console.log(`  ${thread}: ${top.map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ')}`);
  }
  if (profile) {
    printSelfTimes(events, names);
    // The app's own marks (src/ui/startup-marks.ts) split the load into its steps.
    const steps = ['visage:vision-start', 'visage:warm-up-start', 'visage:warm-up-end', 'visage:vision-ready', 'visage:first-frame', 'visage:first-result'].map((m) => ({ name: m, at: markAt(events, m) }));
    for (const [s, step] of steps.slice(0, -1).entries()) {
      const [from, to] = [step.at, steps[s + 1]?.at];
      if (from === undefined || to === undefined) continue;
      console.log(`  ${step.name} → ${steps[s + 1]?.name}: ${((to - from) / 1000).toFixed(0)} ms`);
      printSelfTimes(events, names, { from, to });
    }
  }
}
await session.close();
await host.close();
