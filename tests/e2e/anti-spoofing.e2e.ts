// Anti-spoofing in a real browser, with the fake camera showing a photo — which is exactly a photo held up
// to a webcam: the head-turn challenge refuses it with a reason and captures nothing; with the challenge
// off, Human's antispoof model (on by default for camera enrollment) scores the frames and lets them in,
// and with the live check on, each named face carries the verdict.
import { describe, expect, inject, it } from 'vitest';
import { sessionPerTest } from './browser.ts';
import { enrollFromCamera, labelsAfterSettling, named, waitRunning } from './journey.ts';

const baseUrl = inject('baseUrl');
const clips = inject('clips');
const sessions = sessionPerTest();

describe('anti-spoofing', () => {
  it('refuses a photo at the head-turn challenge, scores camera samples, and labels live faces with the verdict', async () => {
    const session = await sessions.open({ clip: clips.onePerson });
    const { page } = session;
    await page.goto(baseUrl);
    await waitRunning(page);

    await page.click('[data-testid="tab-settings"]');
    expect(await page.isChecked('[data-testid="settings-spoof-enroll"]')).toBe(true);
    expect(await page.isChecked('[data-testid="settings-head-turn"]')).toBe(false);
    await page.check('[data-testid="settings-head-turn"]');
    await page.check('[data-testid="settings-spoof-live"]');

    // The photo cannot turn its head: after the time allowed, a reason and no samples.
    await page.click('[data-testid="tab-enroll"]');
    await page.fill('[data-testid="enroll-name"]', 'Mallory');
    await page.click('[data-testid="enroll-capture"]');
    await page.waitForSelector('[data-testid="enroll-challenge"][data-state="running"]');
    await page.waitForSelector('[data-testid="enroll-challenge"][data-state="failed"]', { timeout: 40_000 });
    expect(await page.locator('[data-testid="enroll-error"]').textContent()).toMatch(/No head turn seen in 15 s\. A photo cannot turn its head/);
    expect(await page.getAttribute('[data-testid="enroll-samples"]', 'data-count')).toBe('0');

    // Challenge off: the same frames go through the antispoof gate and are taken (they score as real).
    await page.click('[data-testid="tab-settings"]');
    await page.uncheck('[data-testid="settings-head-turn"]');
    await enrollFromCamera(page, 'Ada');
    await labelsAfterSettling(page, named('Ada'));
    await page.waitForSelector('[data-testid="labels"] li[data-spoof="real"]', { timeout: 30_000 });
  });
});
