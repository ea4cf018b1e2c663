// CPU time of every Chromium thread, read from Linux's /proc, to show which thread a window of the app's
// time went to. On this machine (2 cores, no GPU) the answer decides what can be sped up: while the camera
// plays, the GPU process's SwiftShader workers ("Thread<NN>", marl's names) draw the page in software.
// Elsewhere (no /proc) every snapshot is empty and the report says nothing.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks a second of /proc/…/stat (USER_HZ, 100 on Linux). */
const TICK_MS = 10;

interface Snapshot {
  at: number;
  /** CPU ms so far of each thread, by "pid/tid", with its "process type/thread name". */
  threads: Map<string, { name: string; ms: number }>;
}

/** A folder's entries, or none when it is gone (a process or thread that ended) or absent (no /proc). */
function list(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process or thread ended meanwhile
  }
}

export function snapshot(): Snapshot {
  const threads = new Map<string, { name: string; ms: number }>();
  for (const pid of list('/proc').filter((d) => /^\d+$/.test(d))) {
    const cmd = read(`/proc/${pid}/cmdline`);
    if (!cmd?.includes('chromium')) continue;
    const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser';
    for (const tid of list(`/proc/${pid}/task`)) {
      const stat = read(`/proc/${pid}/task/${tid}/stat`);
      if (!stat) continue;
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      // Fields after the name: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(`${pid}/${tid}`, { name: `${type}/${comm}`, ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS });
    }
  }
  return { at: Date.now(), threads };
}

export interface ThreadUse {
  /** "process type/thread name"; threads of the same name are summed (Chromium pools share names). */
  thread: string;
  ms: number;
}

/** CPU ms each thread used between two snapshots, most first; threads born in between count from 0. */
export function usedBetween(from: Snapshot, to: Snapshot): ThreadUse[] {
  const byName = new Map<string, number>();
  for (const [key, t] of to.threads) byName.set(t.name, (byName.get(t.name) ?? 0) + t.ms - (from.threads.get(key)?.ms ?? 0));
  return [...byName].map(([thread, ms]) => ({ thread, ms })).filter((t) => t.ms > 0).sort((a, b) => b.ms - a.ms);
}

/** Snapshots every `everyMs` until stopped, to cut windows out of afterwards (a first frame lasts ~0.3 s). */
export function sampler(everyMs = 20): { stop: () => Snapshot[] } {
  const snaps: Snapshot[] = [snapshot()];
  const timer = setInterval(() => snaps.push(snapshot()), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      snaps.push(snapshot());
      return snaps;
    },
  };
}

/** The use within [from, to] (epoch ms), between the snapshots nearest each end. */
export function usedWithin(snaps: readonly Snapshot[], from: number, to: number): { wallMs: number; threads: ThreadUse[] } {
  const nearest = (t: number) => snaps.reduce((best, s) => (Math.abs(s.at - t) < Math.abs(best.at - t) ? s : best));
  const [a, b] = [nearest(from), nearest(to)];
  return { wallMs: b.at - a.at, threads: usedBetween(a, b) };
}

/** "worker 140, gpu-process/Thread<00> 170, …": the top few, rounded. */
export function describeUse(threads: readonly ThreadUse[], top = 6, per = ''): string {
  return threads.slice(0, top).map((t) => `${t.thread} ${Math.round(t.ms)}${per}`).join(', ');
}
