// Parses LFW's pairs.txt (10 folds × 300 same + 300 different pairs) into image paths.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LfwPair {
  a: string;
  b: string;
  same: boolean;
  fold: number;
}

const imagePath = (dir: string, name: string, n: string) => join(dir, name, `${name}_${n.padStart(4, '0')}.jpg`);

export function readLfwPairs(pairsFile: string, imagesDir: string): LfwPair[] {
  const lines = readFileSync(pairsFile, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  const [folds, perHalf] = (lines[0] ?? '').split(/\s+/).map(Number);
  if (!folds || !perHalf) throw new Error(`${pairsFile}: the first line must be "<folds> <pairs per half-fold>"`);
  const pairs: LfwPair[] = [];
  for (let i = 1; i < lines.length; i++) {
    const f = (lines[i] as string).split(/\s+/);
    const fold = Math.floor((i - 1) / (2 * perHalf));
    if (f.length === 3) pairs.push({ a: imagePath(imagesDir, f[0]!, f[1]!), b: imagePath(imagesDir, f[0]!, f[2]!), same: true, fold });
    else if (f.length === 4) pairs.push({ a: imagePath(imagesDir, f[0]!, f[1]!), b: imagePath(imagesDir, f[2]!, f[3]!), same: false, fold });
    else throw new Error(`${pairsFile}:${i + 1}: expected 3 or 4 fields`);
  }
  if (pairs.length !== folds * perHalf * 2) throw new Error(`${pairsFile}: ${pairs.length} pairs, expected ${folds * perHalf * 2}`);
  return pairs;
}
