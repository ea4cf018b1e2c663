// `npm run bench:reloads`: where the seconds of the first loads after a first visit go. One cold load in a
// new profile, then (once the service worker holds the models) reloads, each traced: ms from navigation to
// the first label, and V8's parse, compile and code-cache work per thread. It found that the inference
// worker's modules are parsed and compiled afresh on the first two reloads (V8 writes their code cache
// then) and read from that cache from the third on. Asserts nothing. `--reloads=N` (default 3).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { openProfile } from '../tests/e2e/browser.ts';
import { CLIPS, writeClip } from '../tests/e2e/fake-camera.ts';
import { waitOfflineReady } from '../tests/e2e/offline-ready.ts';
import { startStaticHost } from '../tests/e2e/static-host.ts';

interface TraceEvent { name: string; ph: string; dur?: number; pid: number; tid: number; args?: { name?: string } }

const root = resolve(import.meta.dirname, '..');
const reloads = Number(process.argv.find((a) => a.startsWith('--reloads='))?.slice(10) ?? 3);
const CATEGORIES = 'v8,v8.execute,disabled-by-default-v8.compile,devtools.timeline';
// V8's own names for parsing, compiling and reading or writing the code cache.
const V8_LOADING = /^(V8\.(ParseProgram|PreParse|ParseFunction|CompileCode|CompileScript|CompileSerialize|CompileDeserialize)|v8\.(compileModule|produceModuleCache|produceCache|consumeCache|parseOnBackground))$/;

execFileSync(process.execPath, [resolve(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
const host = await startStaticHost(resolve(root, 'dist'), '/');
const clip = writeClip(resolve(root, '.cache/e2e'), CLIPS.onePersonSteady);
// Software compositing, as Chrome shows a page without a GPU (see tools/bench.ts).
const session = await openProfile(mkdtempSync(join(tmpdir(), 'visage-reloads-')), { clip, extraArgs: ['--disable-gpu-compositing'] });
const { page } = session;
const firstLabel = async () => Math.round(Number(await (await page.waitForFunction(
  () => (document.querySelector('[data-testid="labels"] li') ? performance.now() : false), undefined, { timeout: 120_000, polling: 10 })).jsonValue()));

await page.goto(host.url);
console.log(`cold: first label ${await firstLabel()} ms`);
await waitOfflineReady(page);
const cdp = await page.context().newCDPSession(page);
for (let i = 1; i <= reloads; i++) {
  const events: TraceEvent[] = [];
  // The protocol types trace events as string maps; they are the trace format's objects.
  const collect = (e: { value: unknown }) => void events.push(...(e.value as TraceEvent[]));
  cdp.on('Tracing.dataCollected', collect);
  const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  await page.reload();
  const at = await firstLabel();
  await cdp.send('Tracing.end');
  await complete;
  cdp.off('Tracing.dataCollected', collect);

  const threadNames = new Map(events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args?.name ?? '?']));
  const perThread = new Map<string, Map<string, number>>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined || !V8_LOADING.test(e.name)) continue;
    const thread = threadNames.get(`${e.pid}:${e.tid}`) ?? '?';
    const sums = perThread.get(thread) ?? new Map<string, number>();
    sums.set(e.name, (sums.get(e.name) ?? 0) + e.dur / 1000);
    perThread.set(thread, sums);
  }
  console.log(`\nreload ${i}: first label ${at} ms; V8 parse / compile / code cache, ms (events nest, so they overlap):`);
  for (const [thread, sums] of perThread) {
    const top = [...sums].filter(([, ms]) => ms >= 5).sort((a, b) => b[1] - a[1]);
    if (top.length > 0) console.log(`  ${thread}: ${top.map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ')}`);
  }
}
await session.close();
await host.close();
