// What blocks the app's main thread: long tasks (> 50 ms, what the issue counts) and, for each, the long
// animation frames around it with the scripts Chromium attributes their time to. Installed as an init
// script so it sees the page from its first task; read back and summarised by tools/bench.ts.

export interface LongTask {
  start: number;
  duration: number;
}

export interface FrameScript {
  invoker: string;
  source: string;
  duration: number;
  forcedLayout: number;
}

export interface LongFrame {
  start: number;
  duration: number;
  blocking: number;
  /** Time spent rendering (style, layout, paint) after the scripts, ms. */
  render: number;
  scripts: FrameScript[];
}

export interface MainThreadLog {
  tasks: LongTask[];
  frames: LongFrame[];
}

/** Runs in the page before any of its scripts. */
export const OBSERVE_MAIN_THREAD = `
  window.__mainThread = { tasks: [], frames: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__mainThread.tasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const end = e.startTime + e.duration;
        window.__mainThread.frames.push({
          start: e.startTime, duration: e.duration, blocking: e.blockingDuration,
          render: e.renderStart ? end - e.renderStart : 0,
          scripts: e.scripts.map((s) => ({
            invoker: s.invoker, source: (s.sourceURL.split('/').pop() || '?') + (s.sourceFunctionName ? ':' + s.sourceFunctionName : ''),
            duration: s.duration, forcedLayout: s.forcedStyleAndLayoutDuration,
          })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch { /* no long animation frames in this browser: long tasks are still counted */ }`;

/** Long tasks from `since` on, each with what the long animation frames overlapping it spent time on. */
export function attribute(log: MainThreadLog, since: number): { task: LongTask; frames: LongFrame[] }[] {
  return log.tasks
    .filter((t) => t.start >= since)
    .map((task) => ({
      task,
      frames: log.frames.filter((f) => f.start < task.start + task.duration && f.start + f.duration > task.start),
    }));
}

/** One line per long task: its length and the three scripts that took longest in its frames. */
export function describeLongTasks(rows: ReturnType<typeof attribute>, since: number): string[] {
  return rows.map(({ task, frames }) => {
    const scripts = frames.flatMap((f) => f.scripts).sort((a, b) => b.duration - a.duration).slice(0, 3);
    const render = Math.max(0, ...frames.map((f) => f.render));
    const what = scripts.length
      ? scripts.map((s) => `${s.invoker} [${s.source}] ${s.duration.toFixed(0)} ms${s.forcedLayout > 1 ? ` (forced layout ${s.forcedLayout.toFixed(0)})` : ''}`).join('; ')
      : frames.length ? 'no script attributed' : 'no long animation frame (not script or rendering: e.g. GC, decoding, browser work)';
    return `  +${((task.start - since) / 1000).toFixed(1)} s: ${task.duration.toFixed(0)} ms — ${what}${render > 5 ? `; rendering ${render.toFixed(0)} ms` : ''}`;
  });
}
