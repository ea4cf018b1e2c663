// `eval identify`: enroll every gallery image, identify every probe; probes of people missing from the
// gallery are strangers. Reports DIR, wrong names and FPIR at the shipped policy, and the FPIR-1 % point.
import { simdBestDots } from '../../../src/inference/matcher/simd-matcher.ts';
import { Gallery, type MatchPolicy } from '../../../src/domain/matching.ts';
import { calibratePolicy, identificationRates, thresholdForFpir, type IdentificationRates, type RankedProbe } from '../../../src/domain/identification-metrics.ts';
import { EMBEDDERS, type EmbedderId } from '../../../src/domain/embedder-specs.ts';
import { probeVector, type FaceLookup, type FaceStore } from '../face-store.ts';
import { listPeople } from '../person-folders.ts';
import type { PersonalHead } from '../../../src/domain/personal-head.ts';

export interface LabelledImage {
  person: string;
  path: string;
}

/** Ranks every usable probe against a gallery built from the usable gallery images. */
export function rankProbes(model: EmbedderId, flip: boolean, gallery: readonly LabelledImage[], probes: readonly LabelledImage[], faces: Map<string, FaceLookup>, head?: PersonalHead): { ranked: RankedProbe[]; skipped: number } {
  let skipped = 0;
  const vec = (path: string) => {
    const f = faces.get(path);
    return f?.kind === 'face' ? probeVector(f, flip, model, head) : undefined;
  };
  const samples = gallery.flatMap((g) => {
    const e = vec(g.path);
    if (!e) skipped++;
    return e ? [{ personId: g.person, embedding: e }] : [];
  });
  const g = new Gallery(model, EMBEDDERS[model].dims, samples, null, false, simdBestDots);
  const enrolled = new Set(samples.map((s) => s.personId));
  const ranked: RankedProbe[] = [];
  for (const p of probes) {
    const e = vec(p.path);
    if (!e) {
      skipped++;
      continue;
    }
    ranked.push({ truth: enrolled.has(p.person) ? p.person : null, ranked: g.nearestTwo(e) });
  }
  return { ranked, skipped };
}

export interface IdentifyReport {
  model: EmbedderId;
  flip: boolean;
  policy: MatchPolicy;
  atPolicy: IdentificationRates;
  thresholdAtFpir1: number;
  atFpir1: IdentificationRates;
  bestAtFpir1: { policy: MatchPolicy; rates: IdentificationRates };
  skipped: number;
}

export async function runIdentify(store: FaceStore, opts: { galleryDir: string; probesDir: string; model: EmbedderId; policy: MatchPolicy; flip: boolean; head?: PersonalHead }): Promise<IdentifyReport> {
  const toImages = (dir: string) => [...listPeople(dir)].flatMap(([person, paths]) => paths.map((path) => ({ person, path })));
  const gallery = toImages(opts.galleryDir);
  const probes = toImages(opts.probesDir);
  const faces = await store.embedAll([...gallery, ...probes].map((i) => i.path), opts.model, 0);
  const { ranked, skipped } = rankProbes(opts.model, opts.flip, gallery, probes, faces, opts.head);
  const threshold = thresholdForFpir(ranked, opts.policy.minMargin, 0.01);
  return {
    model: opts.model,
    flip: opts.flip,
    policy: opts.policy,
    atPolicy: identificationRates(ranked, opts.policy),
    thresholdAtFpir1: threshold,
    atFpir1: identificationRates(ranked, { threshold, minMargin: opts.policy.minMargin }),
    bestAtFpir1: calibratePolicy(ranked, 0.01),
    skipped,
  };
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const rates = (r: IdentificationRates) => `DIR ${pct(r.dir)}, wrong name ${pct(r.wrongName)}, FPIR ${pct(r.fpir)} (${r.known} known, ${r.unknown} unknown probes)`;

export function printIdentify(r: IdentifyReport): void {
  console.log(`identify, model ${r.model}${r.flip ? ' (flip)' : ''}; ${r.skipped} images without a usable face skipped`);
  console.log(`  shipped policy (threshold ${r.policy.threshold.toFixed(3)}, margin ${r.policy.minMargin}): ${rates(r.atPolicy)}`);
  console.log(`  threshold for FPIR 1 % at that margin: ${r.thresholdAtFpir1.toFixed(3)} → ${rates(r.atFpir1)}`);
  console.log(`  best policy on this set at FPIR 1 %: threshold ${r.bestAtFpir1.policy.threshold.toFixed(3)}, margin ${r.bestAtFpir1.policy.minMargin} → ${rates(r.bestAtFpir1.rates)}`);
}
