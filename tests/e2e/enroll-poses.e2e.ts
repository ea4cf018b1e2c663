// Camera enrollment earns its samples: a still photo gives one sample and a clear way on; a clip cycling
// through photos of one LFW person in several head poses (read from ../shared/lfw at test time, never
// stored) gives all five.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openSession, type Session } from './browser.ts';
import { writeClip } from './fake-camera.ts';
import { waitRunning } from './journey.ts';

const baseUrl = inject('baseUrl');
const clips = inject('clips');
const sessions: Session[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

async function capturing(clip: string): Promise<Session> {
  const session = await openSession({ clip });
  sessions.push(session);
  await session.page.goto(baseUrl);
  await waitRunning(session.page);
  await session.page.click('[data-testid="tab-enroll"]');
  await session.page.fill('[data-testid="enroll-name"]', 'Jean');
  await session.page.click('[data-testid="enroll-capture"]');
  return session;
}

// Yaw, pitch as the app reads them on this clip: 0034 −0.8, 1.5; 0036 −12.6, −5.7; 0028 12.7, 8.7;
// 0037 −17.4, −0.6; 0019 0.4, 9.8; 0029 −1.4, −3.4; 0006 −18.6, −3.3. The first sample is the reference,
// and the app asks for it looking straight at the camera; a slideshow cannot obey, so the test does what
// the user would: when the reference came out turned (the clip's phase at Capture is chance), it discards
// it and starts again. From a straight reference this set turns and nods both ways.
const LFW = resolve(import.meta.dirname, '../../../shared/lfw/images/Jean_Chretien');
const POSES = ['0034', '0036', '0028', '0037', '0019', '0029', '0006'].map((n) => join(LFW, `Jean_Chretien_${n}.jpg`));
const STRAIGHT_DEG = 5;

describe('enrollment samples are earned', () => {
  it('takes one sample from a still photo, then says no head turn was seen and how to go on', async () => {
    const { page } = await capturing(clips.onePerson);
    const stalled = await page.waitForSelector('[data-testid="enroll-stalled"]', { timeout: 60_000 });
    expect(await stalled.textContent()).toMatch(/^No turn of the head seen in 10 s\. Save the 1 sample taken, try again, or add photos instead\.$/);
    expect(await page.getAttribute('[data-testid="enroll-samples"]', 'data-count')).toBe('1');
    expect(await page.textContent('[data-testid="enroll-capture"]')).toBe('Keep trying (1 of 5)');
    // What needs the user next is in view, on a laptop screen.
    expect(await page.locator('[data-testid="enroll-save"]').isVisible()).toBe(true);
  });

  it.skipIf(!POSES.every((p) => existsSync(p)))('takes all five from a person who turns and nods (LFW photos in turn)', async () => {
    const clip = writeClip(mkdtempSync(join(tmpdir(), 'visage-poses-')), { name: 'poses', photo: POSES[0] ?? '', slides: { photos: POSES, frames: 12 }, fps: 10 });
    const { page } = await capturing(clip);
    // The reference's pose, read the moment the first sample lands (the next may follow within 0.5 s).
    await page.evaluate(() => {
      const w = window as unknown as { visageReference?: string | null };
      new MutationObserver(() => {
        if (w.visageReference) return;
        if (document.querySelector('[data-testid="enroll-samples"]')?.getAttribute('data-count') === '1') {
          w.visageReference = document.querySelector('[data-testid="enroll-guide"]')?.getAttribute('data-pose') ?? null;
        }
      }).observe(document.body, { subtree: true, attributes: true, childList: true });
    });
    const referenceYaw = async () => {
      const handle = await page.waitForFunction(() => (window as unknown as { visageReference?: string | null }).visageReference, undefined, { timeout: 60_000 });
      return Number(String(await handle.jsonValue()).split(',')[0]);
    };
    for (let tries = 0; Math.abs(await referenceYaw()) > STRAIGHT_DEG; tries++) {
      expect(tries).toBeLessThan(8);
      await page.evaluate(() => ((window as unknown as { visageReference?: string | null }).visageReference = undefined));
      await page.click('text=Discard samples'); // which also stops the capture
      await page.waitForSelector('[data-testid="enroll-capture"]:has-text("Capture 5 samples")');
      await page.click('[data-testid="enroll-capture"]');
    }
    await page.waitForSelector('[data-testid="enroll-samples"][data-count="5"]', { timeout: 90_000 });
    expect(await page.locator('[data-testid="enroll-stalled"]').count()).toBe(0);
  });
});
