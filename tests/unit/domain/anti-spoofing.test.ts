// The spoof verdict and the head-turn challenge, on hand-made score and yaw sequences.
import { describe, expect, it } from 'vitest';
import { looksSpoofed, SPOOF_POLICY, SpoofVotes } from '../../../src/domain/anti-spoofing.ts';
import { CHALLENGE_MS, HeadTurnChallenge, TURN_DEG } from '../../../src/domain/head-turn-challenge.ts';

describe('spoof verdict', () => {
  it('refuses a face whose person score is under the floor, and only then', () => {
    expect(looksSpoofed({ person: 0.9 })).toBe(false);
    expect(looksSpoofed({ person: SPOOF_POLICY.minPerson })).toBe(false);
    expect(looksSpoofed({ person: SPOOF_POLICY.minPerson - 0.001 })).toBe(true);
  });

  it('judges a track on the median of its recent frames: one odd frame does not flip it, a run of them does', () => {
    const votes = new SpoofVotes(5);
    const real = { person: 0.95 };
    const photo = { person: 0.01 };
    for (let i = 0; i < 4; i++) expect(votes.observe(1, real)).toBe(false);
    expect(votes.observe(1, photo)).toBe(false);
    expect(votes.observe(1, photo)).toBe(false);
    expect(votes.observe(1, photo)).toBe(true);
    // Another track is judged on its own frames.
    expect(votes.observe(2, real)).toBe(false);
    votes.keepOnly(new Set([2]));
    expect(votes.observe(1, real)).toBe(false); // track 1 forgotten: starts afresh
  });
});

describe('head-turn challenge', () => {
  it('passes once the head turned both ways, in either order', () => {
    for (const order of [[-20, 20], [20, -20]]) {
      const c = new HeadTurnChallenge(0);
      expect(c.observe([0], 100)).toMatchObject({ kind: 'running', turnedOneWay: false });
      expect(c.observe([order[0] as number], 1000)).toMatchObject({ kind: 'running', turnedOneWay: true, prompt: 'Good — now turn to the other side.' });
      expect(c.observe([order[1] as number], 2000)).toEqual({ kind: 'passed' });
    }
  });

  it('fails a still photo after the time allowed, saying why', () => {
    const c = new HeadTurnChallenge(0);
    for (let t = 0; t <= CHALLENGE_MS; t += 500) expect(c.observe([3 + (t % 2)], t).kind).toBe('running');
    const end = c.observe([4], CHALLENGE_MS + 1);
    expect(end).toMatchObject({ kind: 'failed', message: expect.stringMatching(/A photo cannot turn its head/) as unknown });
  });

  it('does not count turns short of the angle, nor turns made while two faces were in view', () => {
    const c = new HeadTurnChallenge(0);
    c.observe([-(TURN_DEG - 1)], 100);
    c.observe([TURN_DEG - 1], 200);
    expect(c.observe([-25, 25], 300)).toMatchObject({ kind: 'running', prompt: 'Only the person enrolling should be in view.' });
    expect(c.observe([0], 400)).toMatchObject({ kind: 'running', turnedOneWay: false });
  });

  it('starts over when the face leaves the picture for more than a second (someone else may come back)', () => {
    const c = new HeadTurnChallenge(0);
    c.observe([-20], 100);
    c.observe([], 600);
    expect(c.observe([20], 1500)).toMatchObject({ kind: 'running', turnedOneWay: true, turnedOtherWay: false });
  });
});
