// `eval split`: writes one held-out identification split as gallery/ and probes/ folders of symlinks
// (outside the repository), for `eval identify` to read like any user's folders.
import { mkdirSync, symlinkSync, existsSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DEFAULT_SPLITS, identificationSplits } from '../identification-splits.ts';
import { listPeople } from '../person-folders.ts';

export function runSplit(opts: { imagesDir: string; outDir: string; repetition: number; galleryPhotos?: number }): { gallery: number; probes: number } {
  const out = resolve(opts.outDir);
  if (out.startsWith(resolve(import.meta.dirname, '../../..'))) throw new Error('Write splits outside the repository (LFW must never enter it)');
  const splits = identificationSplits(listPeople(opts.imagesDir), { ...DEFAULT_SPLITS, half: 'B', repetitions: opts.repetition + 1, galleryPhotos: opts.galleryPhotos ?? 1 });
  const split = splits[opts.repetition];
  if (!split) throw new Error('No such repetition');
  if (existsSync(out)) rmSync(out, { recursive: true });
  for (const [kind, images] of [['gallery', split.gallery], ['probes', split.probes]] as const) {
    for (const img of images) {
      const dir = join(out, kind, img.person);
      mkdirSync(dir, { recursive: true });
      symlinkSync(img.path, join(dir, basename(img.path)));
    }
  }
  return { gallery: split.gallery.length, probes: split.probes.length };
}
