// Named moments of a page load as User Timing marks, once each: the first-label benchmark reads them to
// say where the seconds go, and DevTools' Performance panel shows them. Nothing leaves the page.
export type StartupMoment = 'vision-start' | 'vision-ready' | 'camera-ready' | 'gallery-ready' | 'first-frame' | 'first-result';

export function markStartup(moment: StartupMoment, detail?: unknown): void {
  const name = `visage:${moment}`;
  if (typeof performance.mark !== 'function' || performance.getEntriesByName(name).length > 0) return;
  performance.mark(name, detail === undefined ? undefined : { detail });
}
