import { describe, expect, it } from 'vitest';
import { pixelBox } from '../../../src/domain/geometry.ts';
import { retentionCutoff, SightingRecorder, type TrackedFace } from '../../../src/domain/sightings.ts';
import { csvField, sightingsCsv } from '../../../src/domain/sightings-csv.ts';

const box = pixelBox(10, 10, 100, 100);
const ada = (trackId: number, distance = 0.2): TrackedFace => ({ trackId, box, identity: { kind: 'known', personId: 'ada', distance } });
const stranger = (trackId: number, nearestDistance = 0.9): TrackedFace => ({ trackId, box, identity: { kind: 'unknown', nearestDistance } });
const pending = (trackId: number): TrackedFace => ({ trackId, box, identity: { kind: 'pending' } });

function recorder() {
  let n = 0;
  return new SightingRecorder(() => `s${++n}`, { unknownAfterMs: 3000, mergeGapMs: 10_000 });
}

describe('sightings', () => {
  it('opens a sighting when a track is named and grows it while the person stays, keeping the best distance', () => {
    const r = recorder();
    expect(r.observe([pending(1)], 0)).toEqual([]);
    const opened = r.observe([ada(1, 0.3)], 100);
    expect(opened.map((o) => o.sighting.personId)).toEqual(['ada']);
    r.observe([ada(1, 0.1)], 1100);
    r.observe([ada(1, 0.25)], 2100);
    expect(r.drain()).toEqual([{ id: 's1', personId: 'ada', firstSeen: 100, lastSeen: 2100, bestDistance: 0.1 }]);
    expect(r.drain()).toEqual([]);
  });

  it('logs a stranger only after they stayed "Not in database" for the delay, from when they were first seen', () => {
    const r = recorder();
    r.observe([stranger(1, 0.9)], 0);
    r.observe([stranger(1, 0.8)], 2000);
    expect(r.drain()).toEqual([]);
    expect(r.observe([stranger(1, 0.85)], 3000)).toHaveLength(1);
    expect(r.drain()).toEqual([{ id: 's1', personId: null, firstSeen: 0, lastSeen: 3000, bestDistance: 0.85 }]);
    // A face named within the delay was never a stranger: nothing logged for it.
    const q = recorder();
    q.observe([stranger(1)], 0);
    q.observe([ada(1)], 1500);
    expect(q.drain().map((s) => s.personId)).toEqual(['ada']);
  });

  it("continues a person's sighting across a short gap, and starts a new one after a long gap", () => {
    const r = recorder();
    r.observe([ada(1)], 0);
    r.observe([], 1000);
    r.observe([ada(2)], 5000); // a new track of the same person 5 s later
    expect(r.drain()).toEqual([expect.objectContaining({ id: 's1', firstSeen: 0, lastSeen: 5000 })]);
    r.observe([], 6000);
    r.observe([ada(3)], 30_000);
    expect(r.drain()).toEqual([expect.objectContaining({ id: 's2', firstSeen: 30_000 })]);
  });

  it('starts a new sighting when a different person steps into the same track', () => {
    const r = recorder();
    r.observe([ada(1)], 0);
    r.observe([{ trackId: 1, box, identity: { kind: 'known', personId: 'eve', distance: 0.2 } }], 1000);
    expect(r.drain().map((s) => [s.id, s.personId])).toEqual([['s1', 'ada'], ['s2', 'eve']]);
  });

  it('computes the retention cutoff in days', () => {
    expect(retentionCutoff(40 * 86_400_000, 30)).toBe(10 * 86_400_000);
  });
});

describe('sightings CSV', () => {
  it('writes one row per sighting with ISO times, the name, and unknowns as "Not in database"', () => {
    const csv = sightingsCsv([
      { id: 'a', personId: 'p1', firstSeen: Date.UTC(2026, 10, 29, 8, 0, 0), lastSeen: Date.UTC(2026, 10, 29, 8, 0, 12), bestDistance: 0.12345 },
      { id: 'b', personId: null, firstSeen: 0, lastSeen: 3000, bestDistance: Infinity },
      { id: 'c', personId: 'gone', firstSeen: 0, lastSeen: 0, bestDistance: 0.5 },
    ], (id) => (id === 'p1' ? 'Ada, "the" first' : undefined));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('person,person_id,first_seen,last_seen,seconds,best_distance');
    expect(lines[1]).toBe('"Ada, ""the"" first",p1,2026-11-29T08:00:00.000Z,2026-11-29T08:00:12.000Z,12.0,0.1235');
    expect(lines[2]).toBe('Not in database,,1970-01-01T00:00:00.000Z,1970-01-01T00:00:03.000Z,3.0,');
    expect(lines[3]?.startsWith('Deleted person,gone,')).toBe(true);
  });

  it('keeps names that look like formulas as text', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('Ada')).toBe('Ada');
  });
});
