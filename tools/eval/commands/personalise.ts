// `eval personalise`: trains a personal head on a gallery folder (folder per person, several photos each)
// with the app's own personalisation (cross-validated on held-out photos, then trained on all), and
// reports the held-out identification before and after, exactly as the app judges a head before keeping it.
import type { HeadReport } from '../../../src/domain/head-validation.ts';
import type { MatchPolicy } from '../../../src/domain/matching.ts';
import type { PersonalHead } from '../../../src/domain/personal-head.ts';
import { EMBEDDERS, type EmbedderId } from '../../../src/domain/embedder-specs.ts';
import { DEFAULT_HEAD_TRAINING, type HeadTrainingOptions } from '../../../src/inference/head-training.ts';
import { Personalisation } from '../../../src/inference/personalisation.ts';
import { probeVector, type FaceStore } from '../face-store.ts';
import { listPeople } from '../person-folders.ts';
import { Progress } from '../progress.ts';

export interface PersonaliseReport extends HeadReport {
  model: EmbedderId;
  policy: MatchPolicy;
  training: HeadTrainingOptions;
  ms: number;
}

export async function runPersonalise(store: FaceStore, opts: { galleryDir: string; model: EmbedderId; policy: MatchPolicy; flip: boolean; training: Partial<HeadTrainingOptions> }): Promise<{ report: PersonaliseReport; head: PersonalHead }> {
  const images = [...listPeople(opts.galleryDir)].flatMap(([person, paths]) => paths.map((path) => ({ person, path })));
  const faces = await store.embedAll(images.map((i) => i.path), opts.model, 0);
  const samples = images.flatMap((img) => {
    const f = faces.get(img.path);
    return f?.kind === 'face' ? [{ personId: img.person, embedding: probeVector(f, opts.flip, opts.model) }] : [];
  });
  const training = { ...DEFAULT_HEAD_TRAINING, ...opts.training };
  const started = Date.now();
  const run = new Personalisation(opts.model, EMBEDDERS[opts.model].dims, samples, opts.policy, training);
  let progress = run.advance(0);
  const bar = new Progress('personalising', progress.total);
  while (progress.phase !== 'finished') {
    const done = progress.done;
    progress = run.advance(5);
    bar.tick(progress.done - done);
  }
  run.dispose();
  const outcome = run.result();
  if (!outcome) throw new Error('No head could be trained on this gallery');
  return { head: outcome.head, report: { ...outcome.report, model: opts.model, policy: opts.policy, training, ms: Date.now() - started } };
}

const pct = (v: number) => `${(v * 100).toFixed(2)} %`;

export function printPersonalise(r: PersonaliseReport): void {
  console.log(`personalise ${r.model}: ${r.samples} samples of ${r.people} people, ${r.folds} folds + final × ${r.training.steps} steps in ${(r.ms / 1000).toFixed(1)} s`);
  console.log(`held-out photos (cross-validated) at threshold ${r.policy.threshold}, margin ${r.policy.minMargin}:`);
  for (const [label, f] of [['before', r.before], ['after ', r.after]] as const) {
    console.log(`  ${label}: named right ${f.namedRight}/${f.knownProbes} (DIR ${pct(f.dir)}), wrong ${f.namedWrong}, rank-1 ${f.rank1}/${f.knownProbes}, strangers named ${f.strangersNamed}/${f.strangerProbes} (FPIR ${pct(f.fpir)})`);
  }
  console.log(`  the app would ${r.kept ? 'KEEP' : 'NOT keep'} this head`);
}
