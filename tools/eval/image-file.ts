// Reads one image file for the eval tool: JPEG only, with a clear error for anything it cannot use.
import { readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import jpeg from 'jpeg-js';

export class ImageFileError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ImageFileError';
  }
}

const MAX_BYTES = 50 * 1024 * 1024;
const MAX_MEGAPIXELS = 40;
const MIN_SIDE = 32;

export interface ImageFile {
  path: string;
  /** sha256 of the bytes: the cache key (renames and copies cost nothing). */
  hash: string;
  bytes: Buffer;
}

export function readImageFile(path: string): ImageFile {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new ImageFileError(path, 'cannot be read (missing or not a file)');
  }
  if (size > MAX_BYTES) throw new ImageFileError(path, `is ${(size / 1e6).toFixed(0)} MB; images over 50 MB are refused`);
  const bytes = readFileSync(path);
  return { path, bytes, hash: createHash('sha256').update(bytes).digest('hex') };
}

function formatOf(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === '\x89PNG') return 'png';
  if (bytes.subarray(0, 3).toString('latin1') === 'GIF') return 'gif';
  if (bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return 'unknown';
}

/** Decodes to an int32 [H, W, 3] tensor, or throws ImageFileError saying why not. */
export function decodeImage(file: ImageFile): tf.Tensor3D {
  const format = formatOf(file.bytes);
  if (format !== 'jpeg') throw new ImageFileError(file.path, `unsupported format (${format}); the eval tool reads JPEG`);
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpeg.decode(file.bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 1024 });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (/maxResolutionInMP/.test(why)) throw new ImageFileError(file.path, `is larger than ${MAX_MEGAPIXELS} megapixels`);
    throw new ImageFileError(file.path, `is corrupt or truncated (${why})`);
  }
  if (img.width < MIN_SIDE || img.height < MIN_SIDE) {
    throw new ImageFileError(file.path, `is ${img.width}×${img.height}; too small to hold a face`);
  }
  return tf.tidy(() => tf.slice(tf.tensor3d(img.data, [img.height, img.width, 4], 'int32'), [0, 0, 0], [-1, -1, 3]));
}
