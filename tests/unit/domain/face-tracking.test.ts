// Tracking: ids across frames, when to embed, and naming by agreeing decisions.
import { describe, expect, it } from 'vitest';
import { FaceTracker, DEFAULT_TRACKING } from '../../../src/domain/face-tracking.ts';
import { pixelBox } from '../../../src/domain/geometry.ts';
import type { Decision } from '../../../src/domain/matching.ts';

const face = (x: number, y = 100, size = 100) => ({ box: pixelBox(x, y, size, size) });
const ada: Decision = { kind: 'known', personId: 'ada', distance: 0.05, margin: 0.5 };
const eve: Decision = { kind: 'known', personId: 'eve', distance: 0.06, margin: 0.5 };
const stranger: Decision = { kind: 'unknown', nearestDistance: 0.4 };

describe('FaceTracker', () => {
  it('keeps one id for a face moving steadily, and a new id for a face elsewhere', () => {
    const tracker = new FaceTracker();
    const [first] = tracker.observe([face(100)], 0);
    let id = first?.trackId;
    for (let i = 1; i <= 20; i++) {
      const [step] = tracker.observe([face(100 + i * 12)], i * 33);
      expect(step?.trackId).toBe(id);
      id = step?.trackId;
    }
    const steps = tracker.observe([face(340), face(700)], 21 * 33);
    expect(steps[0]?.trackId).toBe(id);
    expect(steps[1]?.trackId).not.toBe(id);
  });

  it('follows a fast move that leaves no overlap but stays near and the same size', () => {
    const tracker = new FaceTracker();
    const a = tracker.observe([face(100)], 0)[0]?.trackId;
    expect(tracker.observe([face(150)], 33)[0]?.trackId).toBe(a);
  });

  it('tolerates a short miss but forgets a face gone longer than maxMissMs', () => {
    const tracker = new FaceTracker();
    const a = tracker.observe([face(100)], 0)[0]?.trackId;
    tracker.observe([], 300);
    expect(tracker.observe([face(105)], DEFAULT_TRACKING.maxMissMs - 10)[0]?.trackId).toBe(a);
    // Frames keep coming (every 100 ms) without the face for longer than maxMissMs: the track is gone.
    for (let t = 700; t < 700 + DEFAULT_TRACKING.maxMissMs + 200; t += 100) tracker.observe([], t);
    expect(tracker.observe([face(105)], 700 + DEFAULT_TRACKING.maxMissMs + 200)[0]?.trackId).not.toBe(a);
  });

  it('keeps tracks on a slow device whose frames come further apart than maxMissMs, so faces get shown', () => {
    const tracker = new FaceTracker();
    const first = tracker.observe([{ ...face(100), score: 0.6 }], 0)[0];
    expect(first?.shown).toBe(false);
    const second = tracker.observe([{ ...face(102), score: 0.6 }], 900)[0];
    expect(second?.trackId).toBe(first?.trackId);
    expect(second?.shown).toBe(true);
  });

  it('shows an uncertain face from its second frame (one-frame phantoms stay hidden), a sure one at once', () => {
    const tracker = new FaceTracker();
    expect(tracker.observe([{ ...face(100), score: 0.55 }], 0)[0]?.shown).toBe(false);
    expect(tracker.observe([{ ...face(101), score: 0.55 }], 33)[0]?.shown).toBe(true);
    expect(tracker.observe([{ ...face(101), score: 0.55 }, { ...face(600), score: 0.9 }], 66)[1]?.shown).toBe(true);
  });

  it('embeds a new face, then only every reembedMs while it stays put, and at once when it changes', () => {
    const tracker = new FaceTracker();
    const first = tracker.observe([face(100)], 0)[0];
    expect(first?.embed).toBe(true);
    tracker.decide(first?.trackId ?? -1, ada);
    const embeds: boolean[] = [];
    for (let t = 33; t < 2000; t += 33) embeds.push(tracker.observe([face(100)], t)[0]?.embed ?? false);
    // One embedding per second of a steady face, not thirty.
    expect(embeds.filter(Boolean).length).toBe(1);
    // Moved a lot (but continued): embed now.
    expect(tracker.observe([face(150)], 2010)[0]?.embed).toBe(true);
  });

  it('names from the first decision, ignores one odd decision, and switches after two that agree', () => {
    const tracker = new FaceTracker();
    const id = tracker.observe([face(100)], 0)[0]?.trackId ?? -1;
    tracker.decide(id, ada);
    expect(tracker.identity(id)).toMatchObject({ kind: 'known', personId: 'ada' });
    // One odd frame: still Ada, but the next frame is embedded to check.
    tracker.decide(id, stranger);
    expect(tracker.identity(id)).toMatchObject({ personId: 'ada' });
    expect(tracker.observe([face(100)], 40)[0]?.embed).toBe(true);
    tracker.decide(id, ada);
    expect(tracker.identity(id)).toMatchObject({ personId: 'ada' });
    // Someone else stepped into the same place: two agreeing decisions switch the name.
    tracker.decide(id, eve);
    expect(tracker.identity(id)).toMatchObject({ personId: 'ada' });
    tracker.decide(id, eve);
    expect(tracker.identity(id)).toMatchObject({ kind: 'known', personId: 'eve' });
    // Alternating noise never switches.
    tracker.decide(id, stranger);
    tracker.decide(id, eve);
    tracker.decide(id, stranger);
    tracker.decide(id, eve);
    expect(tracker.identity(id)).toMatchObject({ personId: 'eve' });
  });

  it('decides every track afresh after the gallery changes', () => {
    const tracker = new FaceTracker();
    const id = tracker.observe([face(100)], 0)[0]?.trackId ?? -1;
    tracker.decide(id, stranger);
    tracker.invalidate();
    expect(tracker.identity(id).kind).toBe('pending');
    expect(tracker.observe([face(100)], 50)[0]?.embed).toBe(true);
    tracker.decide(id, ada);
    expect(tracker.identity(id)).toMatchObject({ personId: 'ada' });
  });
});
