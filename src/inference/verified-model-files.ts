// Downloads model files listed in the manifest with byte progress and checks each one's sha256,
// so a truncated, corrupt or tampered file is refused by name before any model is built from it.
import type { LoadProgress } from '../domain/load-progress.ts';
export type { LoadProgress };
import type { ManifestFile } from '../domain/model-manifest.ts';

/** Where model bytes come from: `fetch` against the page's origin in a browser, the disk in Node. */
export type ModelFileSource = (path: string) => Promise<Response>;

/** Model files fetched from a models folder's URL (the browser's source). */
export function modelSource(modelsUrl: string): ModelFileSource {
  return (path) => fetch(new URL(path, modelsUrl));
}

export class ModelFileError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(message);
    this.name = 'ModelFileError';
    this.file = file;
  }
}

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function readWithProgress(response: Response, onChunk: (bytes: number) => void): Promise<Uint8Array<ArrayBuffer>> {
  const reader = response.body?.getReader();
  if (!reader) {
    const whole = new Uint8Array(await response.arrayBuffer());
    onChunk(whole.byteLength);
    return whole;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    onChunk(value.byteLength);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return all;
}

/**
 * Progress is reported when it has grown by a hundredth of the total (and at the end): a body streams in
 * chunks of a few kB to 64 kB, and each report is a message to the page and a render of its progress bar.
 */
export const PROGRESS_STEPS = 100;

/**
 * Fetches every file at once, reporting bytes as they arrive (the sum only grows), and returns their
 * verified bytes by path. In parallel: from the service worker's cache on a warm start, one file after
 * another cost 400 ms here.
 */
export async function fetchVerifiedFiles(
  files: readonly ManifestFile[],
  source: ModelFileSource,
  onProgress?: (p: LoadProgress) => void,
): Promise<Map<string, ArrayBuffer>> {
  const totalBytes = files.reduce((n, f) => n + f.bytes, 0);
  let loadedBytes = 0;
  let reportedStep = -1;
  const verified = await Promise.all(files.map(async (file): Promise<[string, ArrayBuffer]> => {
    let response: Response;
    try {
      response = await source(file.path);
    } catch (e) {
      throw new ModelFileError(file.path, `Model file ${file.path} could not be downloaded: ${String(e)}`);
    }
    if (!response.ok) {
      throw new ModelFileError(file.path, `Model file ${file.path} is missing (HTTP ${response.status}); expected sha256 ${file.sha256}`);
    }
    const bytes = await readWithProgress(response, (n) => {
      loadedBytes += n;
      const step = Math.floor((loadedBytes * PROGRESS_STEPS) / Math.max(totalBytes, 1));
      if (step === reportedStep && loadedBytes < totalBytes) return;
      reportedStep = step;
      onProgress?.({ loadedBytes, totalBytes, currentFile: file.path });
    });
    const actual = hex(await crypto.subtle.digest('SHA-256', bytes));
    if (actual !== file.sha256) {
      throw new ModelFileError(
        file.path,
        `Model file ${file.path} is corrupt: sha256 ${actual}, expected ${file.sha256} (${bytes.byteLength} of ${file.bytes} bytes)`,
      );
    }
    return [file.path, bytes.buffer];
  }));
  return new Map(verified);
}
