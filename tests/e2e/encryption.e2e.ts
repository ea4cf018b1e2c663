// Encryption at rest in a real browser: a person enrolled from the camera, the face data encrypted from
// Settings (nothing left in the clear in IndexedDB), the passphrase asked after a reload, a wrong one
// refused, the right one bringing recognition back; and a backup sealed with its own passphrase.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { sessionPerTest } from './browser.ts';
import { chooseBackup, enrollFromCamera, labelsAfterSettling, named, shots, waitRunning } from './journey.ts';

const baseUrl = inject('baseUrl');
const clips = inject('clips');
const sessions = sessionPerTest();

const PASSPHRASE = 'correct horse battery staple';

/** How many stored samples and embeddings hold a plain picture or vector, and how many are sealed. */
async function onDisk(page: Page): Promise<{ plain: number; sealed: number }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('visage');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error('open failed'));
    });
    const all = (store: string) => new Promise<Record<string, unknown>[]>((resolve) => {
      const req = db.transaction(store).objectStore(store).getAll();
      req.onsuccess = () => resolve(req.result as Record<string, unknown>[]);
    });
    const fields = [...(await all('samples')).map((r) => r.thumbnail), ...(await all('embeddings')).map((r) => r.vector)];
    db.close();
    return {
      plain: fields.filter((f) => f instanceof Blob || f instanceof Float32Array).length,
      sealed: fields.filter((f) => typeof f === 'object' && f !== null && (f as { sealed?: number }).sealed === 1).length,
    };
  });
}

describe('encryption at rest', () => {
  it('encrypts the face data, asks for the passphrase after a reload, refuses a wrong one, and seals a backup', async () => {
    const session = await sessions.open({ clip: clips.onePerson });
    const { page } = session;
    await page.goto(baseUrl);
    await waitRunning(page);
    const samples = await enrollFromCamera(page, 'Ada');
    expect(samples).toBeGreaterThan(0);
    await labelsAfterSettling(page, named('Ada'));
    expect(await onDisk(page)).toEqual({ plain: 2 * samples, sealed: 0 }); // the pictures and their embeddings

    // Settings › Encryption: a too-short passphrase is refused, then the real one encrypts everything.
    await page.click('[data-testid="tab-settings"]');
    await page.click('[data-testid="encryption-set"]');
    await page.fill('[data-testid="encryption-new"]', 'short');
    await page.fill('[data-testid="encryption-repeat"]', 'short');
    await page.click('[data-testid="encryption-submit"]');
    expect(await page.locator('[data-testid="encryption-error"]').textContent()).toMatch(/at least 8 characters/);
    await page.fill('[data-testid="encryption-new"]', PASSPHRASE);
    await page.fill('[data-testid="encryption-repeat"]', PASSPHRASE);
    await page.click('[data-testid="encryption-submit"]');
    await page.waitForSelector('[data-testid="encryption"][data-state="on"] [data-testid="encryption-done"]', { timeout: 30_000 });
    await page.screenshot({ path: join(shots, 'encryption.png'), fullPage: true });
    expect(await onDisk(page)).toEqual({ plain: 0, sealed: 2 * samples });

    // A reload asks for the passphrase; a wrong one is said so, the right one brings Ada back.
    await page.reload();
    await page.waitForSelector('[data-testid="app"][data-state="locked"] [data-testid="unlock"]', { timeout: 120_000 });
    await page.fill('[data-testid="unlock-passphrase"]', 'correct horse battery stapler');
    await page.click('[data-testid="unlock-submit"]');
    expect(await page.locator('[data-testid="unlock-error"]').textContent()).toMatch(/Wrong passphrase/);
    await page.fill('[data-testid="unlock-passphrase"]', PASSPHRASE);
    await page.click('[data-testid="unlock-submit"]');
    await waitRunning(page);
    await labelsAfterSettling(page, named('Ada'));
    expect(await onDisk(page)).toEqual({ plain: 0, sealed: 2 * samples });

    // An encrypted backup: no name or picture readable in it; importing it asks for its passphrase.
    await page.click('[data-testid="tab-settings"]');
    await page.check('[data-testid="export-encrypt"]');
    await page.fill('[data-testid="export-passphrase"]', 'backup passphrase');
    await page.fill('[data-testid="export-repeat"]', 'backup passphrase');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export"]')]);
    expect(download.suggestedFilename()).toMatch(/^visage-backup-\d{4}-\d{2}-\d{2}\.encrypted\.json$/);
    const path = (await download.path()) ?? '';
    const text = readFileSync(path, 'utf8');
    const envelope = JSON.parse(text) as { data: string };
    expect(envelope).toMatchObject({ format: 'visage-backup-encrypted', kdf: { name: 'PBKDF2', iterations: 600_000 } });
    // Nothing readable: no name outside the ciphertext, and the ciphertext's bytes hold no JSON of it.
    expect(JSON.stringify({ ...envelope, data: '' })).not.toContain('Ada');
    expect(Buffer.from(envelope.data, 'base64').toString('latin1')).not.toContain('"name":"Ada"');
    await chooseBackup(page, path);
    await page.fill('[data-testid="import-passphrase"]', 'not the passphrase');
    await page.click('[data-testid="import-open"]');
    await page.waitForSelector('[data-testid="import-passphrase-message"]:has-text("Wrong passphrase")');
    await page.fill('[data-testid="import-passphrase"]', 'backup passphrase');
    await page.click('[data-testid="import-open"]');
    await page.waitForSelector(`[data-testid="import-checked"]:has-text("1 people, ${samples} samples")`);
  });
});
