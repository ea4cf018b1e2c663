// The sightings log in a real browser: a person named in the live view appears in History with a time,
// the CSV export downloads those rows, and the retention deletes rows older than it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { sessionPerTest } from './browser.ts';
import { enrollFromCamera, labelsAfterSettling, named, shots, waitRunning } from './journey.ts';

const baseUrl = inject('baseUrl');
const clips = inject('clips');
const sessions = sessionPerTest();

const DAY = 86_400_000;

describe('history', () => {
  it('logs a named person with a time, exports the rows as CSV, and deletes rows older than the retention', async () => {
    const session = await sessions.open({ clip: clips.onePerson });
    const { page } = session;
    const startedAt = Date.now();
    await page.goto(baseUrl);
    await waitRunning(page);
    // Pictures of the faces are off by default; this user keeps them.
    await page.click('[data-testid="tab-history"]');
    await page.check('[data-testid="history-thumbnails"]');
    await page.click('[data-testid="tab-recognize"]');
    await enrollFromCamera(page, 'Ada');
    await labelsAfterSettling(page, named('Ada'));
    // The log is written every 2 s while the live view runs; leaving the screen writes the rest.
    await page.waitForTimeout(2500);
    await page.click('[data-testid="tab-history"]');
    const row = page.locator('[data-testid="sighting"][data-person="Ada"]');
    await row.first().waitFor({ timeout: 30_000 });
    const firstSeen = Number(await row.first().getAttribute('data-first-seen'));
    expect(firstSeen).toBeGreaterThan(startedAt);
    expect(firstSeen).toBeLessThanOrEqual(Date.now());
    const shownTime = await row.first().locator('time').getAttribute('datetime');
    expect(new Date(shownTime ?? '').getTime()).toBe(firstSeen);
    // With a picture of the face: a real 96×96 image, decoded by the browser.
    const picture = row.first().locator('img.thumb');
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => (img.complete ? `${img.naturalWidth}x${img.naturalHeight}` : 'loading'))).toBe('96x96');
    await page.screenshot({ path: join(shots, 'history.png'), fullPage: true });

    // CSV export: the downloaded file has the header and Ada's row with the same time.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="history-export"]')]);
    const csv = readFileSync((await download.path()) ?? '', 'utf8').trimEnd().split('\r\n');
    expect(download.suggestedFilename()).toMatch(/^visage-history-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(csv[0]).toBe('person,person_id,first_seen,last_seen,seconds,best_distance');
    const adaRows = csv.slice(1).filter((l) => l.startsWith('Ada,'));
    expect(adaRows.length).toBeGreaterThanOrEqual(1);
    expect(adaRows.some((l) => l.split(',')[2] === new Date(firstSeen).toISOString())).toBe(true);

    // Two old sightings as an older version of the app would have left them: 10 and 40 days ago.
    await page.evaluate(async ({ now, day }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('visage');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error ?? new Error('open failed'));
      });
      const tx = db.transaction('sightings', 'readwrite');
      for (const age of [10, 40]) {
        tx.objectStore('sightings').put({ id: `old-${age}`, personId: null, firstSeen: now - age * day - 5000, lastSeen: now - age * day, bestDistance: 0.8, thumbnail: null });
      }
      await new Promise((resolve) => (tx.oncomplete = resolve));
      db.close();
    }, { now: Date.now(), day: DAY });
    await page.click('[data-testid="tab-recognize"]');
    await page.click('[data-testid="tab-history"]');
    await page.waitForSelector('[data-testid="sighting"][data-person="Not in database"]');
    expect(await page.locator('[data-testid="sighting"][data-person="Not in database"]').count()).toBe(2);

    // Keep 7 days: both old rows go, Ada's stays.
    await page.selectOption('[data-testid="history-retention"]', '7');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="sighting"][data-person="Not in database"]').length === 0);
    expect(await row.count()).toBeGreaterThanOrEqual(1);

    // The person filter and clear-all.
    await page.selectOption('[data-testid="history-person"]', 'unknown');
    await page.waitForSelector('[data-testid="history-empty"]');
    await page.selectOption('[data-testid="history-person"]', 'all');
    await page.click('[data-testid="history-clear"]');
    await page.click('[data-testid="history-clear-confirm"]');
    await page.waitForSelector('[data-testid="history-empty"]');
  });
});
