// Folder-per-person image sets (DIR/<person>/<image>), as galleries, probe sets and LFW are laid out.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function listPeople(dir: string): Map<string, string[]> {
  const people = new Map<string, string[]>();
  for (const name of readdirSync(dir).sort()) {
    const folder = join(dir, name);
    if (!statSync(folder).isDirectory()) continue;
    const images = readdirSync(folder)
      .filter((f) => !f.startsWith('.'))
      .sort()
      .map((f) => join(folder, f));
    if (images.length) people.set(name, images);
  }
  return people;
}

/** A deterministic shuffle (mulberry32), so splits are the same on every machine and rerun. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
