// The service worker waits on `afterStartup`: it must go on when the moment comes, and also when it never does.
import { describe, expect, it, vi } from 'vitest';
import { afterStartup, markStartup } from '../../../src/ui/startup-marks.ts';

describe('afterStartup', () => {
  it('resolves when the moment is marked, long before its time limit', async () => {
    let done = false;
    const waited = afterStartup('first-result', 60_000).then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    markStartup('first-result');
    await vi.waitFor(() => expect(done).toBe(true), { timeout: 1000 });
    await waited;
    // Already past: resolves at once.
    await expect(afterStartup('first-result', 60_000)).resolves.toBeUndefined();
  });

  it('resolves after its time limit when the moment never comes (no camera)', async () => {
    vi.useFakeTimers();
    try {
      let done = false;
      void afterStartup('camera-ready', 3000).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(2999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
