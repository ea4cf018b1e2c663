// Named moments of a page load as User Timing marks, once each: the first-label benchmark reads them to
// say where the seconds go, and DevTools' Performance panel shows them. Nothing leaves the page.
export type StartupMoment = 'vision-start' | 'vision-ready' | 'camera-ready' | 'gallery-ready' | 'first-frame' | 'first-result' | 'service-worker';

// Asked on every live frame for the first-frame marks: a set lookup, not a search of the timeline.
const marked = new Set<StartupMoment>();

const waiting = new Map<StartupMoment, (() => void)[]>();

export function markStartup(moment: StartupMoment, detail?: unknown): void {
  if (marked.has(moment)) return;
  marked.add(moment);
  for (const resolve of waiting.get(moment) ?? []) resolve();
  waiting.delete(moment);
  if (typeof performance.mark === 'function') performance.mark(`visage:${moment}`, detail === undefined ? undefined : { detail });
}

/** Resolves once `moment` has happened, or after `atMostMs` if it has not by then (it may never: no camera). */
export function afterStartup(moment: StartupMoment, atMostMs: number): Promise<void> {
  if (marked.has(moment)) return Promise.resolve();
  return new Promise((resolve) => {
    waiting.set(moment, [...(waiting.get(moment) ?? []), resolve]);
    setTimeout(resolve, atMostMs);
  });
}
