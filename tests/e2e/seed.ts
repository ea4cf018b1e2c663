// Seeds the app's IndexedDB in the page with made-up people: clusters of unit vectors, two people close
// together, so the calibration view has something to show without enrolling from the camera. The
// seeded model is stored as the user's choice.
import type { Page } from 'playwright-core';

export interface SeedPerson {
  name: string;
  /** Index of the person this one is a look-alike of, if any. */
  nearOf?: number;
}

export async function seedPeople(page: Page, people: SeedPerson[], samplesEach: number, modelId = 'dlib-resnet', dims = 128): Promise<void> {
  await page.evaluate(async ({ people, samplesEach, modelId, dims }) => {
    let state = 12345;
    // mulberry32: the same people on every run, so screenshots are comparable.
    const random = () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const unit = (v: number[]) => {
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    };
    const noise = (scale: number) => Array.from({ length: dims }, () => gaussian() * scale);
    const common = unit(noise(1));
    const centres: number[][] = [];
    for (const p of people) {
      const base = p.nearOf === undefined ? common : (centres[p.nearOf] as number[]);
      const spread = p.nearOf === undefined ? 0.044 : 0.015;
      centres.push(unit(base.map((x, i) => x + (noise(spread)[i] as number))));
    }
    const canvas = new OffscreenCanvas(64, 64);
    const ctx = canvas.getContext('2d');
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('visage');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error('open failed'));
    });
    const thumbs: Blob[] = [];
    for (let i = 0; i < people.length; i++) {
      if (ctx) {
        ctx.fillStyle = `hsl(${(i * 77) % 360} 60% 50%)`;
        ctx.fillRect(0, 0, 64, 64);
      }
      thumbs.push(await canvas.convertToBlob({ type: 'image/jpeg' }));
    }
    const tx = db.transaction(['people', 'samples', 'embeddings', 'settings'], 'readwrite');
    const now = Date.now();
    // The seeded vectors are this model's: the seeded user chose it (so nothing is re-embedded from
    // the made-up thumbnails when it is not the default).
    const settings = tx.objectStore('settings');
    const get = settings.get('settings');
    get.onsuccess = () => settings.put({ ...((get.result as object | undefined) ?? { key: 'settings' }), modelId });
    people.forEach((p, i) => {
      const personId = `seed-${i}`;
      tx.objectStore('people').put({ id: personId, name: p.name, createdAt: now, updatedAt: now });
      for (let s = 0; s < samplesEach; s++) {
        const sampleId = `${personId}-${s}`;
        const quality = { faceCount: 1, faceSize: 200, yawDeg: 0, pitchDeg: 0, sharpness: 100, detectorScore: 0.95 };
        tx.objectStore('samples').put({ id: sampleId, personId, thumbnail: thumbs[i], quality, createdAt: now + s });
        const vector = new Float32Array(unit((centres[i] as number[]).map((x) => x + gaussian() * 0.018)));
        tx.objectStore('embeddings').put({ sampleId, personId, modelId, vector });
      }
    });
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error ?? new Error('seed failed'));
    });
    db.close();
  }, { people, samplesEach, modelId, dims });
}

/** The settings row as stored in IndexedDB (not as shown): what a reload will read. */
export async function storedSettings(page: Page): Promise<Record<string, unknown> | undefined> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('visage');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error('open failed'));
    });
    const request = db.transaction('settings').objectStore('settings').get('settings');
    const row = await new Promise<unknown>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('read failed'));
    });
    db.close();
    return row as Record<string, unknown> | undefined;
  });
}
