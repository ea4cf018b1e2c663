// People › Rename: Enter saves; a name already enrolled is not taken silently (merge, or keep both);
// Cancel leaves no message behind.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openSession, type Session } from './browser.ts';
import { waitRunning } from './journey.ts';
import { seedPeople } from './seed.ts';

const baseUrl = inject('baseUrl');
const clips = inject('clips');
const sessions: Session[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

describe('renaming people', () => {
  it('saves on Enter, offers to merge into a person of the same name, and Cancel clears what it said', async () => {
    const session = await openSession({ clip: clips.onePerson });
    sessions.push(session);
    const { page } = session;
    await page.goto(baseUrl);
    await waitRunning(page);
    await seedPeople(page, [{ name: 'Ada' }, { name: 'Bob' }, { name: 'Cy' }], 3);
    await page.reload();
    await waitRunning(page);
    await page.click('[data-testid="tab-people"]');
    const card = (name: string) => page.locator(`[data-testid="person"][data-name="${name}"]`);

    // Enter saves a rename.
    await card('Cy').locator('text=Rename').click();
    await page.fill('[data-testid="rename-input"]', 'Cyd');
    await page.keyboard.press('Enter');
    await card('Cyd').waitFor();

    // An empty name is refused; Cancel takes the message away.
    await card('Cyd').locator('text=Rename').click();
    await page.fill('[data-testid="rename-input"]', ' ');
    await page.keyboard.press('Enter');
    await card('Cyd').locator('[role="alert"]').waitFor();
    await card('Cyd').locator('text=Cancel').click();
    expect(await card('Cyd').locator('[role="alert"]').count()).toBe(0);

    // Bob renamed "ada": the same name as Ada (case aside) is not taken silently.
    await card('Bob').locator('text=Rename').click();
    await page.fill('[data-testid="rename-input"]', 'ada');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="rename-twin"]');
    expect(await page.textContent('[data-testid="rename-twin"]')).toContain('Ada is already enrolled');
    await page.click('[data-testid="rename-merge"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="person"]').length === 2);
    expect(await card('Ada').textContent()).toContain('6 samples');
    expect(await card('Bob').count()).toBe(0);
    expect(session.errors).toEqual([]);
  });
});
