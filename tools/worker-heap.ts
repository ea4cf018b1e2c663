// The JS heap of the inference worker, for the soak: Playwright's CDP sessions reach pages only, so this
// attaches to the worker through the browser's session (Target.sendMessageToTarget) and asks V8 there
// for a garbage collection and its heap usage, as the soak already does for the page.
import type { Browser, CDPSession } from 'playwright-core';

export class WorkerHeap {
  private next = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();

  private constructor(private readonly cdp: CDPSession, private readonly sessionId: string) {
    cdp.on('Target.receivedMessageFromTarget', (e) => {
      if (e.sessionId !== this.sessionId) return;
      const msg = JSON.parse(e.message) as { id?: number; result?: unknown };
      const done = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (done && msg.id !== undefined) {
        this.pending.delete(msg.id);
        done(msg.result);
      }
    });
  }

  /** Attaches to the first dedicated worker whose URL contains `urlPart`. */
  static async attach(browser: Browser, urlPart: string): Promise<WorkerHeap> {
    const cdp = await browser.newBrowserCDPSession();
    const { targetInfos } = await cdp.send('Target.getTargets');
    const worker = targetInfos.find((t) => t.type === 'worker' && t.url.includes(urlPart));
    if (!worker) throw new Error(`No worker whose URL contains "${urlPart}" (found: ${targetInfos.map((t) => `${t.type} ${t.url}`).join(', ')})`);
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false });
    return new WorkerHeap(cdp, sessionId);
  }

  private call(method: string): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      void this.cdp.send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method }) });
    });
  }

  /** MB of JS heap in use after a forced collection. */
  async usedMB(): Promise<number> {
    await this.call('HeapProfiler.collectGarbage');
    const usage = (await this.call('Runtime.getHeapUsage')) as { usedSize: number };
    return usage.usedSize / 1e6;
  }
}
