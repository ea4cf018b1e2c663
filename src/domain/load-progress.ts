// How far loading the models has got, and what the loading screen says: a fraction and "x of y MB".

export interface LoadProgress {
  loadedBytes: number;
  totalBytes: number;
  /** The file being read now, for the progress label. */
  currentFile: string;
}

export function progressFraction(loaded: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(1, Math.max(0, loaded / total));
}

export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export function progressLabel(loaded: number, total: number): string {
  return `${formatMegabytes(loaded)} of ${formatMegabytes(total)} (${Math.round(progressFraction(loaded, total) * 100)} %)`;
}
