// One-photo-per-person open-set splits built from a folder-per-person image set (LFW): people are
// halved once (calibration half A, held-out half B); each repetition enrols 150 people of a half with one
// photo each (their other photos are known probes) and takes 150 other people of the half as strangers.
import type { LabelledImage } from './commands/identify.ts';
import { seededShuffle } from './person-folders.ts';

export interface IdentificationSplit {
  gallery: LabelledImage[];
  probes: LabelledImage[];
}

export interface SplitOptions {
  half: 'A' | 'B';
  repetitions: number;
  enrolled: number;
  strangers: number;
  /** At most this many probe images per person, so a few much-photographed people do not dominate. */
  maxProbesPerPerson: number;
  /** Photos enrolled per person (people with fewer than this + 1 photos are not enrolled). */
  galleryPhotos: number;
  seed: number;
}

export const DEFAULT_SPLITS: Omit<SplitOptions, 'half'> = { repetitions: 20, enrolled: 150, strangers: 150, maxProbesPerPerson: 5, galleryPhotos: 1, seed: 20261129 };

export function identificationSplits(people: Map<string, string[]>, opts: SplitOptions): IdentificationSplit[] {
  const names = seededShuffle([...people.keys()].sort(), opts.seed);
  const halfSize = Math.floor(names.length / 2);
  const half = opts.half === 'A' ? names.slice(0, halfSize) : names.slice(halfSize);
  const splits: IdentificationSplit[] = [];
  for (let r = 0; r < opts.repetitions; r++) {
    const order = seededShuffle(half, opts.seed + 1 + r);
    const enrolled = order.filter((n) => (people.get(n)?.length ?? 0) > opts.galleryPhotos).slice(0, opts.enrolled);
    const taken = new Set(enrolled);
    const strangers = order.filter((n) => !taken.has(n)).slice(0, opts.strangers);
    const gallery: LabelledImage[] = [];
    const probes: LabelledImage[] = [];
    for (const person of enrolled) {
      const photos = seededShuffle(people.get(person) ?? [], opts.seed + r);
      for (const path of photos.slice(0, opts.galleryPhotos)) gallery.push({ person, path });
      for (const path of photos.slice(opts.galleryPhotos, opts.galleryPhotos + opts.maxProbesPerPerson)) probes.push({ person, path });
    }
    for (const person of strangers) {
      for (const path of (people.get(person) ?? []).slice(0, opts.maxProbesPerPerson)) probes.push({ person, path });
    }
    splits.push({ gallery, probes });
  }
  return splits;
}
