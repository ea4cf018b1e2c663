// A user of the old default (dlib-resnet, never chose a model) opens the new version: the two people
// they enrolled are still named while their samples are re-embedded for arcface-mobilefacenet, and
// named again once the new model serves. A user who chose a model keeps it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openProfile, type Session } from './browser.ts';
import { enrollFromCamera, enrollFromPhoto, labelsAfterSettling, named, waitRunning } from './journey.ts';

const baseUrl = inject('baseUrl');
const clips = inject('clips');
const sessions: Session[] = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

async function launch(profile: string, clip: string): Promise<Page> {
  const session = await openProfile(profile, { clip });
  sessions.push(session);
  await session.page.goto(baseUrl);
  await waitRunning(session.page);
  return session.page;
}

const servingModel = (page: Page) => page.getAttribute('[data-testid="app"]', 'data-model');

/** Sets the stored model choice as the old version left it (null: never chosen). */
async function storeModelChoice(page: Page, modelId: string | null): Promise<void> {
  await page.evaluate(async (modelId) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('visage');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error('open failed'));
    });
    const tx = db.transaction('settings', 'readwrite');
    const store = tx.objectStore('settings');
    const row = await new Promise<Record<string, unknown>>((resolve) => {
      const get = store.get('settings');
      get.onsuccess = () => resolve(get.result as Record<string, unknown>);
    });
    store.put({ ...row, modelId });
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
  }, modelId);
}

/** Eve from sample5.jpg: its lowest face, the person the "other person" clip shows. */
const lowest = (boxes: number[][]) => boxes.indexOf(boxes.reduce((a, b) => ((b[1] ?? 0) > (a[1] ?? 0) ? b : a)));

describe('moving to the new default model', () => {
  it('names both people on the old default, while re-embedding, and on the new one', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'visage-profile-'));
    let page = await launch(profile, clips.onePerson);
    // Enrolled as the old version did: on dlib-resnet.
    await page.click('[data-testid="tab-settings"]');
    await page.selectOption('[data-testid="settings-model"]', 'dlib-resnet');
    await page.waitForSelector('[data-testid="app"][data-model="dlib-resnet"][data-state="running"]', { timeout: 120_000 });
    await enrollFromCamera(page, 'Ada');
    await enrollFromPhoto(page, 'Eve', 'sample5.jpg', 5, lowest);
    await labelsAfterSettling(page, named('Ada'));
    // The old version never stored a choice.
    await storeModelChoice(page, null);
    await sessions.pop()?.close();

    page = await launch(profile, clips.onePerson);
    expect(await page.getAttribute('[data-testid="app"]', 'data-target-model')).toBe('arcface-mobilefacenet');
    // Until every sample has its new embedding, dlib still names Ada.
    const started = Date.now();
    if ((await servingModel(page)) === 'dlib-resnet') await labelsAfterSettling(page, named('Ada'));
    await page.waitForSelector('[data-testid="app"][data-model="arcface-mobilefacenet"][data-state="running"]', { timeout: 120_000 });
    console.log(`model-upgrade: arcface-mobilefacenet serving ${Date.now() - started} ms after the page was running`);
    await labelsAfterSettling(page, named('Ada'));
    await sessions.pop()?.close();

    page = await launch(profile, clips.otherPerson);
    expect(await servingModel(page)).toBe('arcface-mobilefacenet');
    await labelsAfterSettling(page, named('Eve'));
  });

  it('keeps the model a user chose', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'visage-profile-'));
    let page = await launch(profile, clips.onePerson);
    await page.click('[data-testid="tab-settings"]');
    await page.selectOption('[data-testid="settings-model"]', 'dlib-resnet');
    await page.waitForSelector('[data-testid="app"][data-model="dlib-resnet"][data-state="running"]', { timeout: 120_000 });
    await sessions.pop()?.close();
    page = await launch(profile, clips.onePerson);
    expect(await servingModel(page)).toBe('dlib-resnet');
    expect(await page.getAttribute('[data-testid="app"]', 'data-target-model')).toBe('dlib-resnet');
  });
});
