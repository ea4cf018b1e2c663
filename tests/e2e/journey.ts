// Steps of the user's journey shared by the e2e tests: wait for the app, enroll from the camera, read labels.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { samplePhotoPath } from './fake-camera.ts';

export const shots = resolve(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(shots, { recursive: true });

export async function waitRunning(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="app"][data-state="running"]', { timeout: 120_000 });
}

/** The labels currently listed for the faces in view (the accessible live list), once they match. */
export async function labelsAfterSettling(page: Page, expected: (labels: string[]) => boolean, timeout = 60_000): Promise<string[]> {
  let last: string[] = [];
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    last = await page.$$eval('[data-testid="labels"] li', (items) => items.map((i) => i.textContent ?? ''));
    if (expected(last)) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`Labels never matched; last seen: ${JSON.stringify(last)}`);
}

/** Camera enrollment as far as the clip allows: five samples, or as many as it earned before it stalled (returned). */
export async function enrollFromCamera(page: Page, name: string, screenshot?: string): Promise<number> {
  await page.click('[data-testid="tab-enroll"]');
  await page.fill('[data-testid="enroll-name"]', name);
  await page.click('[data-testid="enroll-capture"]');
  if (screenshot) {
    await page.waitForSelector('[data-testid="enroll-samples"][data-count="1"]', { timeout: 90_000 });
    await page.screenshot({ path: join(shots, screenshot) });
  }
  // The test clips are still photos: after the frontal sample no head turn comes, and the capture says so.
  await page.waitForSelector('[data-testid="enroll-samples"][data-count="5"], [data-testid="enroll-stalled"]', { timeout: 90_000 });
  const taken = Number(await page.getAttribute('[data-testid="enroll-samples"]', 'data-count'));
  await page.click('[data-testid="enroll-save"]');
  await page.waitForSelector('[data-testid="tab-recognize"][aria-current="page"]');
  return taken;
}

export const named = (name: string) => (labels: string[]) => labels.length === 1 && (labels[0] ?? '').startsWith(`${name} ·`);
export const stranger = (labels: string[]) => labels.length === 1 && labels[0] === 'Not in database';

/** Settings › Export everything; the path of the downloaded backup. */
export async function exportBackup(page: Page): Promise<string> {
  await page.click('[data-testid="tab-settings"]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export"]')]);
  return (await download.path()) ?? '';
}

/** Settings › Import a backup…: the file is checked; the caller then merges, replaces, or reads the error. */
export async function chooseBackup(page: Page, path: string): Promise<void> {
  await page.click('[data-testid="tab-settings"]');
  await page.setInputFiles('[data-testid="import-file"]', path);
}

/** People › Delete, for each of these names. */
export async function deletePeople(page: Page, names: readonly string[]): Promise<void> {
  await page.click('[data-testid="tab-people"]');
  for (const name of names) await page.click(`[data-testid="person"][data-name="${name}"] [data-testid="person-delete"]`);
}

/** Enrolls `name` from a packaged photo, choosing one of its `faces` faces by box ([x, y, w, h]). */
export async function enrollFromPhoto(page: Page, name: string, photo: string, faces: number, choose: (boxes: number[][]) => number): Promise<void> {
  await page.click('[data-testid="tab-enroll"]');
  await page.fill('[data-testid="enroll-name"]', name);
  await page.setInputFiles('[data-testid="enroll-files"]', samplePhotoPath(photo));
  await page.waitForSelector('[data-testid="enroll-choices"]', { timeout: 60_000 });
  const boxes = await page.$$eval('[data-testid="enroll-choices"] button', (buttons) =>
    buttons.map((b) => (b.getAttribute('data-box') ?? '').split(',').map(Number)));
  expect(boxes).toHaveLength(faces);
  await page.click(`[data-testid="enroll-choices"] button >> nth=${choose(boxes)}`);
  await page.waitForSelector('[data-testid="enroll-samples"][data-count="1"]');
  await page.click('[data-testid="enroll-save"]');
  await page.waitForSelector('[data-testid="tab-recognize"][aria-current="page"]');
}
