// The bench's CPU-by-thread report: which thread a window of the app's time went to, on made-up
// snapshots.
import { describe, expect, it } from 'vitest';
import { usedBetween, usedWithin } from '../../../tools/bench/thread-cpu.ts';

const snap = (at: number, threads: [key: string, name: string, ms: number][]) => ({ at, threads: new Map(threads.map(([k, name, ms]) => [k, { name, ms }])) });

describe('CPU by thread', () => {
  it('sums threads of one name, counts a thread born in the window from zero, and lists the busiest first', () => {
    const from = snap(0, [['1/1', 'gpu-process/Thread<00>', 100], ['2/5', 'renderer/DedicatedWorker', 40]]);
    const to = snap(1000, [['1/1', 'gpu-process/Thread<00>', 400], ['2/5', 'renderer/DedicatedWorker', 90], ['2/6', 'renderer/DedicatedWorker', 30], ['2/7', 'renderer/Media', 0]]);
    expect(usedBetween(from, to)).toEqual([
      { thread: 'gpu-process/Thread<00>', ms: 300 },
      { thread: 'renderer/DedicatedWorker', ms: 80 },
    ]);
  });

  it('cuts a window out of a run of snapshots at the ones nearest its ends', () => {
    const snaps = [0, 20, 40, 60, 80].map((at) => snap(at, [['1/1', 'renderer/DedicatedWorker', at * 2]]));
    expect(usedWithin(snaps, 18, 63)).toEqual({ wallMs: 40, threads: [{ thread: 'renderer/DedicatedWorker', ms: 80 }] });
  });
});
