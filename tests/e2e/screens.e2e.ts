// Every screen fits a laptop (1280 × 800) and a phone (390 × 844) with no sideways scroll, the tabs stay
// reachable, and on Enroll the prompt, the latest sample and Save are in view when they matter. A
// screenshot of each screen at each size goes to test-results/screenshots/. axe-core finds no serious or
// critical problem on any of them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openSession, type Session } from './browser.ts';
import { shots, waitRunning } from './journey.ts';
import { seedPeople } from './seed.ts';

const baseUrl = inject('baseUrl');
const clips = inject('clips');
const sessions: Session[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

const VIEWPORTS = [
  { name: 'laptop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

const SCREENS = [
  ['recognize', '[data-testid="labels"]'],
  ['people', '[data-testid="person"]'],
  ['history', '[data-testid="history-empty"], [data-testid="sightings"]'],
  ['settings', '[data-testid="settings"]'],
] as const;

/** Whether the element lies wholly inside the window as it is scrolled now. */
async function inView(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  });
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings on the page as it is now (evaluated over CDP: the CSP stays strict). */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe.each(VIEWPORTS)('screens at $width × $height', ({ name, width, height }) => {
  it('fit the width on every screen, with every tab in reach, and Enroll shows what matters', async () => {
    const session = await openSession({ clip: clips.onePerson, viewport: { width, height } });
    sessions.push(session);
    const { page } = session;
    await page.goto(baseUrl);
    await waitRunning(page);
    await seedPeople(page, [{ name: 'Ada' }, { name: 'Bob' }], 3);
    await page.reload();
    await waitRunning(page);
    for (const [tab, ready] of SCREENS) {
      expect(await inView(page, `[data-testid="tab-${tab}"]`)).toBe(true);
      await page.click(`[data-testid="tab-${tab}"]`);
      await page.waitForSelector(ready);
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      expect(await sideways(page)).toBeLessThanOrEqual(0);
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.screenshot({ path: join(shots, `${tab}-${name}.png`) });
    }

    await page.click('[data-testid="tab-enroll"]');
    await page.fill('[data-testid="enroll-name"]', 'Cy');
    await page.click('[data-testid="enroll-capture"]');
    await page.waitForSelector('[data-testid="enroll-samples"][data-count="1"]', { timeout: 60_000 });
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(shots, `enroll-capturing-${name}.png`) });
    if (name === 'laptop') {
      // Camera, prompt, samples and Save side by side: nothing to scroll for.
      for (const part of ['[data-testid="enroll-guide"]', '[data-testid="enroll-samples"] img', '[data-testid="enroll-save"]']) expect(await inView(page, part)).toBe(true);
    }
    // The still clip earns one sample and stops: the message and Save are brought into view.
    await page.waitForSelector('[data-testid="enroll-stalled"]', { timeout: 60_000 });
    await page.waitForFunction(() => {
      const r = document.querySelector('[data-testid="enroll-save"]')?.getBoundingClientRect();
      return r !== undefined && r.top >= 0 && r.bottom <= window.innerHeight;
    });
    expect(await inView(page, '[data-testid="enroll-samples"] img')).toBe(true);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: join(shots, `enroll-done-${name}.png`) });
    expect(session.errors).toEqual([]);
  });
});
