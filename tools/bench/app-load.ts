// What the benches that load the real app share: its production build, the browser's compositing, the
// wait for its first label, and recording a Chromium trace around a step.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';

const root = resolve(import.meta.dirname, '../..');

/** `vite build` with extra arguments (another config, for the bench page). */
export function buildApp(args: string[] = []): void {
  execFileSync(process.execPath, [resolve(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', ...args], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}

/**
 * The page shown the way Chrome shows it on a machine without a GPU: software compositing. The test flags
 * (--use-angle=swiftshader) otherwise make SwiftShader emulate a GPU for the compositor too, which took
 * about one of the two cores just to show the video.
 */
export const SOFTWARE_COMPOSITING = ['--disable-gpu-compositing'];

/** The page's clock (ms from navigation) when the first face label is listed. */
export async function waitFirstLabel(page: Page, timeout = 120_000): Promise<number> {
  const handle = await page.waitForFunction(() => (document.querySelector('[data-testid="labels"] li') ? performance.now() : false), undefined, { timeout, polling: 10 });
  return Number(await handle.jsonValue());
}

/**
 * The app's startup marks (src/ui/startup-marks.ts), ms from navigation, with the engine's own steps
 * (ms on the worker's clock, the detail of vision-ready) and the page's time origin.
 */
export async function startupMarks(page: Page): Promise<{ origin: number; marks: Record<string, number>; engine: Record<string, number> }> {
  return page.evaluate(() => {
    const visage = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('visage:'));
    const ready = visage.find((m) => m.name === 'visage:vision-ready') as PerformanceMark | undefined;
    return {
      origin: performance.timeOrigin,
      marks: Object.fromEntries(visage.map((m) => [m.name.slice(7), Math.round(m.startTime)])),
      engine: (ready?.detail as Record<string, number> | undefined) ?? {},
    };
  });
}

/** Marks or engine steps as `name ms, …`, earliest first. */
export function marksInOrder(marks: Record<string, number>): string {
  return Object.entries(marks).sort((a, b) => a[1] - b[1]).map(([k, v]) => `${k} ${v}`).join(', ');
}

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

/** Traces `categories` while `step` runs: its result and every trace event. */
export async function recordTrace<T>(cdp: CDPSession, categories: string, step: () => Promise<T>): Promise<{ result: T; events: TraceEvent[] }> {
  const events: TraceEvent[] = [];
  // The protocol types trace events as string maps; they are the trace format's objects.
  const collect = (e: { value: unknown }) => void events.push(...(e.value as TraceEvent[]));
  cdp.on('Tracing.dataCollected', collect);
  const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
  await cdp.send('Tracing.start', { categories, transferMode: 'ReportEvents' });
  const result = await step();
  await cdp.send('Tracing.end');
  await complete;
  cdp.off('Tracing.dataCollected', collect);
  return { result, events };
}

/** Each thread's name by its "pid:tid", from the trace's metadata events. */
export function threadNames(events: readonly TraceEvent[]): Map<string, string> {
  return new Map(events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, String((e.args as { name?: string } | undefined)?.name ?? '?')]));
}
