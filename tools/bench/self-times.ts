// Self time per function and per script from the sampling profiler's trace events (category
// disabled-by-default-v8.cpu_profiler): where a thread's milliseconds went, to pick the next cut by data.
import type { TraceEvent } from './app-load.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName?: string; url?: string; lineNumber?: number };
}
interface ProfileData {
  startTime?: number;
  cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
  timeDeltas?: number[];
}
type ProfileEvent = TraceEvent & { id?: string };

/** A window on the trace's clock (µs); samples outside it are left out. */
export interface TraceWindow {
  from: number;
  to: number;
}

/** The trace timestamp of a performance.mark (category blink.user_timing), if recorded. */
export function markAt(events: readonly TraceEvent[], name: string): number | undefined {
  return events.find((e) => e.name === name && e.cat.includes('user_timing'))?.ts;
}

/** Prints, per thread with over 20 ms sampled, the functions and scripts with the most self time. */
export function printSelfTimes(events: readonly TraceEvent[], names: Map<string, string>, window?: TraceWindow, top = 25): void {
  interface Profile { thread: string; start: number; nodes: Map<number, ProfileNode>; samples: number[]; deltas: number[] }
  const byProfile = new Map<string, Profile>();
  for (const e of events as readonly ProfileEvent[]) {
    if (e.name !== 'Profile' && e.name !== 'ProfileChunk') continue;
    const id = `${e.pid}:${String(e.id)}`;
    const profile: Profile = byProfile.get(id) ?? { thread: names.get(`${e.pid}:${e.tid}`) ?? '?', start: 0, nodes: new Map(), samples: [], deltas: [] };
    const data = (e.args as { data?: ProfileData } | undefined)?.data;
    if (e.name === 'Profile') profile.start = data?.startTime ?? e.ts;
    for (const n of data?.cpuProfile?.nodes ?? []) profile.nodes.set(n.id, n);
    profile.samples.push(...(data?.cpuProfile?.samples ?? []));
    profile.deltas.push(...(data?.timeDeltas ?? []));
    byProfile.set(id, profile);
  }
  for (const { thread, start, nodes, samples, deltas } of byProfile.values()) {
    const fn = new Map<string, number>();
    const script = new Map<string, number>();
    let total = 0;
    let at = start;
    // A sample's time is the gap to the next one.
    for (let i = 0; i < samples.length - 1; i++) {
      at += deltas[i] ?? 0;
      const node = nodes.get(samples[i] ?? -1);
      const ms = (deltas[i + 1] ?? 0) / 1000;
      if (!node || ms <= 0 || (window && (at < window.from || at > window.to))) continue;
      const { functionName = '', url = '', lineNumber } = node.callFrame;
      if (functionName === '(idle)' || functionName === '(program)') continue;
      const file = url.split('/').pop() || '(native)';
      const key = `${functionName || '(anonymous)'} ${file}:${lineNumber ?? ''}`;
      fn.set(key, (fn.get(key) ?? 0) + ms);
      script.set(file, (script.get(file) ?? 0) + ms);
      total += ms;
    }
    if (total < 20) continue;
    const list = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, ms]) => `${k} ${ms.toFixed(0)}`).join('; ');
    console.log(`  profile ${thread}: ${total.toFixed(0)} ms sampled\n    by script: ${list(script, 8)}\n    by function: ${list(fn, top)}`);
  }
}
