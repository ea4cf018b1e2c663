// The worker answers one request at a time, in the order they came: a photo capture and a live frame
// sent together run one after the other, and give what they give when sent one after the other.
import { describe, expect, it } from 'vitest';
import { RequestQueue } from '../../../src/worker/request-queue.ts';

/** A stand-in engine whose answer depends on shared state, as Human's config and the pixel buffer do. */
class SharedStateEngine {
  private busy = 0;
  maxBusy = 0;
  private mode = 'live';
  async answer(kind: 'live' | 'photo', steps: number): Promise<string> {
    this.busy++;
    this.maxBusy = Math.max(this.maxBusy, this.busy);
    this.mode = kind;
    for (let i = 0; i < steps; i++) await Promise.resolve();
    const seen = this.mode;
    this.busy--;
    return `${kind} saw ${seen}`;
  }
}

describe('RequestQueue', () => {
  it('runs overlapping requests one at a time, each seeing only its own state', async () => {
    const engine = new SharedStateEngine();
    const queue = new RequestQueue();
    const answers = await Promise.all([
      queue.run(() => engine.answer('photo', 20)),
      queue.run(() => engine.answer('live', 3)),
      queue.run(() => engine.answer('live', 3)),
    ]);
    expect(engine.maxBusy).toBe(1);
    expect(answers).toEqual(['photo saw photo', 'live saw live', 'live saw live']);
  });

  it('goes on after a request fails, and gives that failure to its own caller only', async () => {
    const queue = new RequestQueue();
    const failed = queue.run(() => Promise.reject(new Error('bad photo')));
    const next = queue.run(() => 'next');
    await expect(failed).rejects.toThrow('bad photo');
    await expect(next).resolves.toBe('next');
  });

  it('shows what an unqueued engine does: the photo sees the live frame\'s state', async () => {
    const engine = new SharedStateEngine();
    const answers = await Promise.all([engine.answer('photo', 20), engine.answer('live', 3)]);
    expect(engine.maxBusy).toBe(2);
    expect(answers[0]).toBe('photo saw live');
  });
});
