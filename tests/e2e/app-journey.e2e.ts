// The user's whole journey in a real browser with the fake camera: enroll from the camera, be named,
// strangers and several faces, reload and relaunch, delete, enroll from a photo, two people.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { offOriginRequests, openProfile, type Session } from './browser.ts';
import { enrollFromCamera, enrollFromPhoto, labelsAfterSettling, named, shots, stranger, waitRunning } from './journey.ts';

const baseUrl = inject('baseUrl');
const clips = inject('clips');
let session: Session | undefined;
const sessions: Session[] = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  session = undefined;
});

async function launch(profile: string, clip: string): Promise<Page> {
  session = await openProfile(profile, { clip });
  sessions.push(session);
  await session.page.goto(baseUrl);
  await waitRunning(session.page);
  return session.page;
}

describe('the app journey', () => {
  it('enrolls from the camera, names the person, refuses a stranger, survives a restart, forgets on delete', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'visage-profile-'));
    let page = await launch(profile, clips.onePerson);
    // Nobody enrolled yet: the face in view is a stranger.
    await labelsAfterSettling(page, stranger);
    await enrollFromCamera(page, 'Ada', 'enroll.png');
    await labelsAfterSettling(page, named('Ada'));
    await page.click('[data-testid="tab-people"]');
    await page.waitForSelector('[data-testid="person"][data-name="Ada"] img');
    await page.screenshot({ path: join(shots, 'people.png') });
    await page.click('[data-testid="tab-recognize"]');

    // Reload: still enrolled and named.
    await page.reload();
    await page.waitForSelector('[data-testid="app"][data-state="running"]', { timeout: 120_000 });
    await labelsAfterSettling(page, named('Ada'));
    expect(offOriginRequests(session?.requests ?? [], baseUrl)).toEqual([]);
    await session?.close();
    sessions.length = 0;

    // The camera now shows someone else: not named Ada.
    page = await launch(profile, clips.otherPerson);
    await labelsAfterSettling(page, stranger);
    await session?.close();
    sessions.length = 0;

    // Two faces in view: two labels.
    page = await launch(profile, clips.twoPeople);
    // Two people of sample1.jpg, neither of them Ada (sample2.jpg): two labels, both strangers.
    const two = await labelsAfterSettling(page, (l) => l.length === 2);
    expect(two).toEqual(['Not in database', 'Not in database']);
    await session?.close();
    sessions.length = 0;

    // Back to Ada; delete her in People: "Not in database".
    page = await launch(profile, clips.onePerson);
    await labelsAfterSettling(page, named('Ada'));
    await page.click('[data-testid="tab-people"]');
    await page.click('[data-testid="person"][data-name="Ada"] [data-testid="person-delete"]');
    await page.waitForSelector('[data-testid="undo"]');
    await page.click('[data-testid="tab-recognize"]');
    await labelsAfterSettling(page, stranger);
  });

  it('enrolls from photo files (picking the person), names them in the camera, and tells people apart', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'visage-profile-'));
    let page = await launch(profile, clips.onePerson);
    // sample5.jpg shows five people: the user picks the one the "other person" clip shows (the lowest).
    await enrollFromPhoto(page, 'Eve', 'sample5.jpg', 5, (boxes) => boxes.indexOf(boxes.reduce((a, b) => ((b[1] ?? 0) > (a[1] ?? 0) ? b : a))));
    // sample1.jpg: the leftmost of its three people, who is also on the left of the "two people" clip.
    await enrollFromPhoto(page, 'Bea', 'sample1.jpg', 3, (boxes) => boxes.indexOf(boxes.reduce((a, b) => ((b[0] ?? 0) < (a[0] ?? 0) ? b : a))));
    // The camera shows Ada, who is not enrolled: she is not taken for Eve or Bea.
    await labelsAfterSettling(page, stranger);
    await enrollFromCamera(page, 'Ada');
    await labelsAfterSettling(page, named('Ada'));
    await session?.close();
    sessions.length = 0;

    page = await launch(profile, clips.otherPerson);
    await labelsAfterSettling(page, named('Eve'));
    await session?.close();
    sessions.length = 0;

    // Bea and a stranger side by side: one name, one "Not in database".
    page = await launch(profile, clips.twoPeople);
    const labels = await labelsAfterSettling(page, (l) => l.length === 2 && l.some((x) => x.startsWith('Bea ·')));
    expect(labels).toContain('Not in database');
    await page.screenshot({ path: join(shots, 'recognize.png') });
  });
});
