// A Chromium trace of the page's main thread while the app recognises, reduced to what matters here: each
// task over 50 ms and the longest trace events inside it. This is what found the overlay canvas's "GPU
// backpressure" waits, which long animation frames report only as "no script".
import type { CDPSession } from 'playwright-core';
import { recordTrace, threadNames, type TraceEvent } from './app-load.ts';

export interface TracedTask {
  ms: number;
  /** The longest events inside the task, longest first: "name ms". */
  inside: string[];
}

const CATEGORIES = 'devtools.timeline,v8,v8.execute,blink,toplevel,disabled-by-default-devtools.timeline,disabled-by-default-v8.gc,gpu';

/** Traces for `ms` and returns the renderer main thread's tasks over 50 ms. */
export async function traceLongTasks(cdp: CDPSession, wait: (ms: number) => Promise<void>, ms: number): Promise<TracedTask[]> {
  const { events } = await recordTrace(cdp, CATEGORIES, () => wait(ms));

  const thread = (e: TraceEvent) => `${e.pid}:${e.tid}`;
  const mains = new Set([...threadNames(events)].filter(([, name]) => name === 'CrRendererMain').map(([id]) => id));
  const onMain = events.filter((e) => mains.has(thread(e)) && e.ph === 'X' && e.dur !== undefined);
  // A task is 'RunTask' or, in other builds and categories, 'ThreadControllerImpl::RunTask'.
  const isTask = (e: TraceEvent) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask';
  const within = (e: TraceEvent, outer: TraceEvent) => e !== outer && thread(e) === thread(outer) && e.ts >= outer.ts && e.ts + (e.dur ?? 0) <= outer.ts + (outer.dur ?? 0);
  const long = onMain.filter((e) => isTask(e) && (e.dur ?? 0) > 50_000);
  // Outermost only, where both names nest.
  const tasks = long.filter((t) => !long.some((o) => within(t, o)));
  return tasks.map((task) => {
    const inside = onMain
      .filter((e) => !isTask(e) && within(e, task) && (e.dur ?? 0) > 3000)
      .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
      .slice(0, 4)
      .map((e) => `${e.name} ${((e.dur ?? 0) / 1000).toFixed(0)}`);
    return { ms: (task.dur ?? 0) / 1000, inside };
  });
}
