// Keyboard only: with Tab, Enter and Space a user reaches the Enroll screen, names and captures a person,
// saves, and finds the People screen, each focused control showing a focus ring.
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openSession, type Session } from './browser.ts';
import { waitRunning } from './journey.ts';

const baseUrl = inject('baseUrl');
const clips = inject('clips');
const sessions: Session[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

/** Presses Tab until the element matching `selector` has the focus (at most 40 times); checks its ring. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) {
      const ring = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement as Element);
        return style.outlineStyle !== 'none' && style.outlineWidth !== '0px';
      });
      expect(ring).toBe(true);
      return;
    }
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe('keyboard only', () => {
  it('enrolls a person and opens People with Tab, Enter and Space, a focus ring on each control', async () => {
    const session = await openSession({ clip: clips.onePerson, viewport: { width: 1280, height: 800 } });
    sessions.push(session);
    const { page } = session;
    await page.goto(baseUrl);
    await waitRunning(page);
    await tabTo(page, '[data-testid="tab-enroll"]');
    await page.keyboard.press('Enter');
    await tabTo(page, '[data-testid="enroll-name"]');
    await page.keyboard.type('Kay');
    await tabTo(page, '[data-testid="enroll-capture"]');
    await page.keyboard.press('Space');
    await page.waitForSelector('[data-testid="enroll-stalled"]', { timeout: 60_000 });
    await tabTo(page, '[data-testid="enroll-save"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="notice"]:has-text("Kay enrolled with 1 sample.")');
    await tabTo(page, '[data-testid="tab-people"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="person"][data-name="Kay"]');
    expect(session.errors).toEqual([]);
  });
});
