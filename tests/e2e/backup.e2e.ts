// Export and import in the browser: a backup downloads, a deleted person comes back from it, a damaged
// file is refused with a message and changes nothing, and a name carrying HTML is shown as text.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, inject, it } from 'vitest';
import { sessionPerTest } from './browser.ts';
import { chooseBackup, deletePeople, waitRunning } from './journey.ts';
import { seedPeople } from './seed.ts';

const baseUrl = inject('baseUrl');
const clips = inject('clips');
const sessions = sessionPerTest();

interface Backup {
  format: string;
  people: { id: string; name: string }[];
  samples: unknown[];
  embeddings: { vector: string }[];
}

describe('export and import', () => {
  it('exports everything, brings a deleted person back, refuses a damaged file, and shows an HTML name as text', async () => {
    const session = await sessions.open({ clip: clips.onePerson });
    const { page } = session;
    await page.goto(baseUrl);
    await waitRunning(page);
    await seedPeople(page, [{ name: 'Ada' }, { name: 'Bob' }, { name: 'Cy' }], 3);
    await page.reload();
    await waitRunning(page);

    await page.click('[data-testid="tab-settings"]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export"]')]);
    expect(download.suggestedFilename()).toMatch(/^visage-backup-\d{4}-\d{2}-\d{2}\.json$/);
    const backupPath = (await download.path()) ?? '';
    const backup = JSON.parse(readFileSync(backupPath, 'utf8')) as Backup;
    expect(backup.format).toBe('visage-backup');
    expect(backup.people.map((p) => p.name).sort()).toEqual(['Ada', 'Bob', 'Cy']);
    expect(backup.samples).toHaveLength(9);
    expect(backup.embeddings).toHaveLength(9);

    // Delete Ada, then merge the backup: Ada is back, the others are reported as already here.
    await deletePeople(page, ['Ada']);
    await page.waitForFunction(() => !document.querySelector('[data-testid="person"][data-name="Ada"]'));
    await chooseBackup(page, backupPath);
    await page.click('[data-testid="import-merge"]');
    await page.waitForSelector('[data-testid="import-done"][data-added="1"]');
    await page.click('[data-testid="tab-people"]');
    await page.waitForSelector('[data-testid="person"][data-name="Ada"]');

    // A damaged file: refused with a message, nobody changes.
    const damaged = join(tmpdir(), 'visage-damaged.json');
    writeFileSync(damaged, JSON.stringify({ ...backup, embeddings: [{ ...backup.embeddings[0], vector: 'AAAAAA==' }] }));
    await chooseBackup(page, damaged);
    const error = page.locator('[data-testid="import-error"]');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/has 1 values; dlib-resnet has 128\..*Nothing was imported\./);
    await page.click('[data-testid="tab-people"]');
    expect(await page.locator('[data-testid="person"]').count()).toBe(3);

    // A name carrying markup replaces everything: shown as the very text, never run.
    const hostile = '<img src=x onerror="window.__pwned=1">Eve';
    const withHtml = join(tmpdir(), 'visage-html-name.json');
    writeFileSync(withHtml, JSON.stringify({ ...backup, people: backup.people.map((p, i) => (i === 0 ? { ...p, name: hostile } : p)) }));
    await chooseBackup(page, withHtml);
    await page.click('[data-testid="import-replace"]');
    await page.click('[data-testid="import-replace-confirm"]');
    await page.waitForSelector('[data-testid="import-done"]');
    await page.click('[data-testid="tab-people"]');
    const names = await page.$$eval('[data-testid="person"] .person-name', (els) => els.map((e) => e.textContent));
    expect(names).toContain(hostile);
    expect(await page.locator('[data-testid="people"] img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(session.errors).toEqual([]);
  });
});
