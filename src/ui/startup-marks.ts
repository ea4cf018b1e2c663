// Named moments of a page load as User Timing marks, once each: the first-label benchmark reads them to
// say where the seconds go, and DevTools' Performance panel shows them. Nothing leaves the page.
export type StartupMoment = 'vision-start' | 'vision-ready' | 'camera-ready' | 'gallery-ready' | 'first-frame' | 'first-result' | 'service-worker';

// Asked on every live frame for the first-frame marks: a set lookup, not a search of the timeline.
const marked = new Set<StartupMoment>();

export function markStartup(moment: StartupMoment, detail?: unknown): void {
  if (marked.has(moment) || typeof performance.mark !== 'function') return;
  marked.add(moment);
  performance.mark(`visage:${moment}`, detail === undefined ? undefined : { detail });
}
