// The eval tool's bad input: every unusable image gets a clear per-file result and the run goes on.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { FaceStore, type FaceLookup } from '../../../tools/eval/face-store.ts';
import { FACE_API_DIR, MODELS_DIR } from '../support/node-models.ts';

const dir = mkdtempSync(join(tmpdir(), 'visage-eval-'));
const file = (name: string) => join(dir, name);

/** A real JPEG whose frame header claims 10,000 × 10,000 pixels. */
function hugeJpeg(): Buffer {
  const bytes = Buffer.from(jpeg.encode({ width: 16, height: 16, data: Buffer.alloc(16 * 16 * 4, 128) }, 80).data);
  for (let i = 0; i < bytes.length - 8; i++) {
    if (bytes[i] === 0xff && (bytes[i + 1] === 0xc0 || bytes[i + 1] === 0xc2)) {
      bytes.writeUInt16BE(10_000, i + 5);
      bytes.writeUInt16BE(10_000, i + 7);
      return bytes;
    }
  }
  throw new Error('no SOF marker');
}

let results: Map<string, FaceLookup>;

beforeAll(async () => {
  const sample = join(FACE_API_DIR, 'demo', 'sample2.jpg');
  copyFileSync(sample, file('face.jpg'));
  writeFileSync(file('blank.jpg'), jpeg.encode({ width: 200, height: 200, data: Buffer.alloc(200 * 200 * 4, 200) }, 90).data);
  writeFileSync(file('truncated.jpg'), readFileSync(sample).subarray(0, 600));
  writeFileSync(file('image.png'), Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
  writeFileSync(file('tiny.jpg'), jpeg.encode({ width: 1, height: 1, data: Buffer.alloc(4, 255) }, 90).data);
  writeFileSync(file('huge.jpg'), hugeJpeg());
  const store = await FaceStore.open({ modelsDir: MODELS_DIR, cacheDir: join(dir, 'cache'), backend: 'wasm' });
  const names = ['face.jpg', 'blank.jpg', 'truncated.jpg', 'image.png', 'tiny.jpg', 'huge.jpg', 'missing.jpg'];
  results = await store.embedAll(names.map(file), 'dlib-resnet', 0);
}, 180_000);

describe('eval tool inputs', () => {
  it('embeds a real face photo', () => {
    expect(results.get(file('face.jpg'))?.kind).toBe('face');
  });

  it('reports "no face" for an image without one, not an error', () => {
    expect(results.get(file('blank.jpg'))).toEqual({ kind: 'no-face' });
  });

  it.each([
    ['truncated.jpg', /corrupt or truncated/],
    ['image.png', /unsupported format \(png\)/],
    ['tiny.jpg', /1×1; too small/],
    ['huge.jpg', /larger than 40 megapixels/],
    ['missing.jpg', /cannot be read/],
  ])('gives %s a clear error naming the file', (name, why) => {
    const r = results.get(file(name));
    expect(r?.kind).toBe('error');
    if (r?.kind === 'error') {
      expect(r.message).toContain(name);
      expect(r.message).toMatch(why);
    }
  });
});
