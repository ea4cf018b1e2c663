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

  it('keeps the name of a face walking steadily until its check, and looks again when it jumps', () => {
    const tracker = new FaceTracker();
    const id = tracker.observe([face(100)], 0)[0]?.trackId ?? -1;
    tracker.decide(id, ada);
    const embeds: boolean[] = [];
    // 12 px a frame for a second: far off the box it was embedded at, but the same face all along.
    for (let i = 1; i <= 29; i++) embeds.push(tracker.observe([face(100 + i * 12)], i * 33)[0]?.embed ?? false);
    expect(embeds.filter(Boolean)).toHaveLength(0);
    expect(tracker.observe([face(100 + 30 * 12)], 30 * 34)[0]?.embed).toBe(true);
  });

  it('looks again at a face back after a frame without it (someone else may have stepped in)', () => {
    const tracker = new FaceTracker();
    const id = tracker.observe([face(100)], 0)[0]?.trackId ?? -1;
    tracker.decide(id, ada);
    expect(tracker.observe([face(100)], 33)[0]?.embed).toBe(false);
    tracker.observe([], 66);
    const back = tracker.observe([face(100)], 99)[0];
    expect(back).toMatchObject({ trackId: id, embed: true });
    expect(tracker.observe([face(100)], 132)[0]?.embed).toBe(false);
  });

  it('looks again at two faces that crossed, once they are apart (their tracks may have swapped)', () => {
    const tracker = new FaceTracker();
    const ids = tracker.observe([face(100), face(400)], 0).map((s) => s.trackId);
    for (const id of ids) tracker.decide(id, ada);
    // Closing in: 10 px a frame each, apart, not embedded.
    let t = 0;
    for (let d = 10; d <= 80; d += 10) {
      t += 33;
      expect(tracker.observe([face(100 + d), face(400 - d)], t).some((s) => s.embed)).toBe(false);
    }
    // Overlapping (by 20, then 40 px): nothing to check while they overlap.
    for (const d of [110, 120]) {
      t += 33;
      expect(tracker.observe([face(100 + d), face(400 - d)], t).some((s) => s.embed)).toBe(false);
    }
    // Apart again (10 px between them): both are embedded.
    t += 33;
    expect(tracker.observe([face(195), face(305)], t).map((s) => s.embed)).toEqual([true, true]);
  });

  it('embeds at most the allowance a frame, most urgent first, the rest on later frames', () => {
    const tracker = new FaceTracker();
    const [a] = tracker.observe([face(100)], 0);
    tracker.decide(a?.trackId ?? -1, ada);
    // A new face (no name yet) and a named one due for its check: the new one first.
    const first = tracker.observe([face(100), face(400)], 1000, 1);
    expect(first.map((s) => s.embed)).toEqual([false, true]);
    tracker.decide(first[1]?.trackId ?? -1, eve);
    expect(tracker.observe([face(100), face(400)], 1033, 1).map((s) => s.embed)).toEqual([true, false]);
    // No allowance (a frame that ran the full detection): nothing is embedded, and it stays due.
    expect(tracker.observe([face(100), face(400), face(700)], 1066, 0).map((s) => s.embed)).toEqual([false, false, false]);
    expect(tracker.observe([face(100), face(400), face(700)], 1100, 1).find((s) => s.face.box.x === 700)?.embed).toBe(true);
  });

  it('embeds a new face even without allowance while no face on screen has a name', () => {
    const tracker = new FaceTracker();
    const steps = tracker.observe([face(100), face(400)], 0, 0);
    expect(steps.filter((s) => s.embed)).toHaveLength(1);
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
