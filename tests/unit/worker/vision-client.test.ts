// The page side of the inference worker, against a scripted stand-in for the worker: answers by id,
// frames transferred, a crashed or stuck worker restarted with the gallery re-sent, abort and version
// checks. (The real worker runs in the e2e tests.)
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Gallery } from '../../../src/domain/matching.ts';
import { makeEmbedding } from '../../../src/domain/embedding.ts';
import { PROTOCOL_VERSION, type EngineInfo, type RequestMessage } from '../../../src/worker/protocol.ts';
import { VisionClient } from '../../../src/worker/vision-client.ts';

const INFO: EngineInfo = { backend: 'wasm', renderer: null, verifiedBytes: 1, modelId: 'dlib-resnet', calibrated: { threshold: 0.1, minMargin: 0 }, timings: { wasm: 40 }, choice: 'preference', startupMs: {} };

type Behaviour = 'answer' | 'silent' | 'crash' | 'crash-once';

/** A fake Worker: records what it was sent (and what was transferred) and answers as told. */
class FakeWorker extends EventTarget {
  static all: FakeWorker[] = [];
  static behaviour: Behaviour = 'answer';
  sent: { message: RequestMessage; transfer: unknown[] }[] = [];
  terminated = false;

  constructor() {
    super();
    FakeWorker.all.push(this);
  }

  postMessage(message: RequestMessage, transfer: unknown[] = []): void {
    this.sent.push({ message, transfer });
    const behaviour = message.kind === 'start' ? 'answer' : FakeWorker.behaviour;
    if (behaviour === 'crash-once') FakeWorker.behaviour = 'answer';
    queueMicrotask(() => {
      if (behaviour === 'crash' || behaviour === 'crash-once') this.dispatchEvent(Object.assign(new Event('error'), { message: 'boom' }));
      if (behaviour !== 'answer') return;
      // Each answer carries its request's id, so a test can tell which request it answers.
      const value = message.kind === 'start' ? INFO : message.kind === 'recognize' ? { width: 4, height: 3, faces: [], computeMs: message.id } : null;
      this.dispatchEvent(new MessageEvent('message', { data: { v: PROTOCOL_VERSION, id: message.id, kind: 'done', value } }));
    });
  }

  terminate(): void {
    this.terminated = true;
  }
}

const frame = () => ({ width: 4, height: 3, close: vi.fn() });

beforeEach(() => {
  FakeWorker.all = [];
  FakeWorker.behaviour = 'answer';
  vi.stubGlobal('Worker', FakeWorker);
  vi.stubGlobal('OffscreenCanvas', class {});
  vi.stubGlobal('createImageBitmap', (source: unknown) => Promise.resolve(source));
  vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => undefined });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const start = () => VisionClient.start('http://host/models/', 'dlib-resnet', () => undefined, { build: 'test' });

describe('VisionClient', () => {
  it('runs inference in the worker and transfers each frame to it', async () => {
    const client = await start();
    expect(client.info).toMatchObject({ thread: 'worker', backend: 'wasm', restarts: 0 });
    const [f, g] = [frame(), frame()];
    const [first, second] = await Promise.all([client.recognize(f), client.recognize(g)]);
    const sent = FakeWorker.all[0]?.sent.slice(-2) ?? [];
    expect(sent.map((s) => s.message)).toMatchObject([{ v: PROTOCOL_VERSION, kind: 'recognize' }, { v: PROTOCOL_VERSION, kind: 'recognize' }]);
    // Each caller gets the answer to its own request, and each frame went to the worker with it.
    expect([first.computeMs, second.computeMs]).toEqual(sent.map((s) => s.message.id));
    expect(sent.map((s) => s.transfer)).toEqual([[f], [g]]);
  });

  it('restarts a crashed worker, re-sends the gallery, and goes on', async () => {
    const client = await start();
    const gallery = new Gallery('dlib-resnet', 2, [{ personId: 'ada', embedding: makeEmbedding('dlib-resnet', [1, 0]) }]);
    await client.setGallery(gallery, { threshold: 0.1, minMargin: 0 });
    FakeWorker.behaviour = 'crash-once';
    await expect(client.recognize(frame() as unknown as ImageBitmap)).rejects.toThrow(/Inference restarted: the inference worker crashed: boom/);
    await expect(client.recognize(frame() as unknown as ImageBitmap)).resolves.toMatchObject({ faces: [] });
    expect(client.info.restarts).toBe(1);
    expect(FakeWorker.all[0]?.terminated).toBe(true);
    const kinds = FakeWorker.all[1]?.sent.map((s) => s.message.kind);
    expect(kinds).toEqual(['start', 'set-gallery', 'recognize']);
  });

  it('starts a new worker on wasm when the worker reports its WebGL context lost', async () => {
    const client = await VisionClient.start('http://host/models/', 'dlib-resnet', () => undefined, { build: 'test', backend: 'webgl' });
    expect(FakeWorker.all[0]?.sent[0]?.message).toMatchObject({ kind: 'start', backend: 'webgl' });
    FakeWorker.all[0]?.dispatchEvent(new MessageEvent('message', { data: { v: PROTOCOL_VERSION, id: 0, kind: 'webgl-lost' } }));
    await expect(client.recognize(frame() as unknown as ImageBitmap)).resolves.toMatchObject({ faces: [] });
    expect(FakeWorker.all[0]?.terminated).toBe(true);
    expect(FakeWorker.all[1]?.sent[0]?.message).toMatchObject({ kind: 'start', backend: 'wasm' });
    expect(client.info.threadNote).toMatch(/WebGL was lost/);
  });

  it('gives up after three restarts of a worker that keeps crashing, with a message saying so', async () => {
    const client = await start();
    FakeWorker.behaviour = 'crash';
    // Each request kills its worker: three restarts, then the fourth death is final.
    for (let i = 0; i < 4; i++) await client.recognize(frame() as unknown as ImageBitmap).catch(() => undefined);
    await expect(client.recognize(frame() as unknown as ImageBitmap)).rejects.toThrow(/Inference stopped after 3 restarts.*Reload the page/);
  });

  it('presumes a silent worker stuck after the timeout and restarts it', async () => {
    const client = await start();
    vi.useFakeTimers();
    FakeWorker.behaviour = 'silent';
    const pending = client.recognize(frame());
    const outcome = expect(pending).rejects.toThrow(/did not answer recognize within 20 s/);
    await vi.advanceTimersByTimeAsync(20_001);
    await outcome;
    expect(client.info.restarts).toBe(1);
  });

  it('rejects an aborted request at once, and never sends a frame already aborted', async () => {
    const client = await start();
    const controller = new AbortController();
    controller.abort();
    const f = frame();
    await expect(client.recognize(f as unknown as ImageBitmap, controller.signal)).rejects.toThrow(/aborted/);
    expect(f.close).toHaveBeenCalled();
    expect(FakeWorker.all[0]?.sent.map((s) => s.message.kind)).toEqual(['start']);
  });

  it('reports a model the worker refused instead of retrying it on the page', async () => {
    const failing = class extends FakeWorker {
      override postMessage(message: RequestMessage, transfer: unknown[] = []): void {
        this.sent.push({ message, transfer });
        queueMicrotask(() => this.dispatchEvent(new MessageEvent('message', { data: { v: PROTOCOL_VERSION, id: message.id, kind: 'failed', message: 'Model file facemesh.bin is corrupt' } })));
      }
    };
    vi.stubGlobal('Worker', failing);
    await expect(start()).rejects.toThrow('Model file facemesh.bin is corrupt');
    expect(FakeWorker.all).toHaveLength(1);
  });

  it('runs on the page and says why where workers cannot run the models', async () => {
    vi.stubGlobal('OffscreenCanvas', undefined);
    // The page fallback loads the real engine, which in Node fails where it needs a browser: the failure
    // must come from the engine's start on the page (not a worker's), and no worker must be made.
    const failure = await start().then(() => null, (e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(String(failure)).not.toMatch(/worker/i);
    expect(FakeWorker.all).toHaveLength(0);
  });
});
