// The whole personalisation, in steps a caller can interleave with progress and cancel: a head trained
// on each cross-validation fold and judged on the photos that fold held out (before vs after, at the
// threshold in use), then the head kept for use trained on every sample. Same code in the app and in
// `eval personalise`.
import { addFigures, cannotPersonalise, headIsBetter, heldOutFigures, NO_FIGURES, validationFolds, type OpenSetFigures, type PersonalisationProgress, type PersonalisationResult, type ValidationFold } from '../domain/head-validation.ts';
import type { MatchPolicy, Sample } from '../domain/matching.ts';
import type { PersonalHead } from '../domain/personal-head.ts';
import { DEFAULT_HEAD_TRAINING, HeadTrainer, trainablePeople, type HeadTrainingOptions } from './head-training.ts';

export type { PersonalisationProgress, PersonalisationResult };

export class Personalisation {
  private readonly folds: ValidationFold[];
  private phase = 0;
  private trainer: HeadTrainer | null = null;
  private done = 0;
  private before: OpenSetFigures = NO_FIGURES;
  private after: OpenSetFigures = NO_FIGURES;
  private outcome: PersonalisationResult | null = null;

  constructor(
    private readonly modelId: string,
    private readonly dims: number,
    private readonly samples: readonly Sample[],
    private readonly policy: MatchPolicy,
    private readonly options: HeadTrainingOptions = DEFAULT_HEAD_TRAINING,
    maxFolds = 5,
  ) {
    const why = cannotPersonalise(samples);
    if (why) throw new Error(why);
    this.folds = validationFolds(samples, maxFolds);
  }

  private get total(): number {
    return (this.folds.length + 1) * this.options.steps;
  }

  /** The trainer of the current phase (a fold, then the final head on everything); null if untrainable. */
  private startPhase(): HeadTrainer | null {
    const fold = this.folds[this.phase];
    const rows = fold ? fold.train : this.samples.map((_, i) => i);
    const training = rows.map((i) => ({ personId: (this.samples[i] as Sample).personId, vector: (this.samples[i] as Sample).embedding.vector }));
    if (trainablePeople(training) < 1 || new Set(training.map((t) => t.personId)).size < 2) return null;
    return new HeadTrainer(this.modelId, this.dims, training, { ...this.options, seed: this.options.seed + this.phase });
  }

  private finishPhase(head: PersonalHead | null): void {
    const fold = this.folds[this.phase];
    if (fold) {
      const before = heldOutFigures(this.samples, fold.train, fold.heldOut, this.policy);
      this.before = addFigures(this.before, before);
      this.after = addFigures(this.after, head ? heldOutFigures(this.samples, fold.train, fold.heldOut, this.policy, head) : before);
    } else if (head) {
      this.outcome = {
        head,
        report: {
          samples: this.samples.length,
          people: new Set(this.samples.map((s) => s.personId)).size,
          folds: this.folds.length,
          before: this.before,
          after: this.after,
          kept: headIsBetter(this.before, this.after),
        },
      };
    }
    this.phase += 1;
  }

  /** Runs up to `maxSteps` training steps (crossing phases as they end). */
  advance(maxSteps: number): PersonalisationProgress {
    let budget = maxSteps;
    while (budget > 0 && this.phase <= this.folds.length) {
      this.trainer ??= this.startPhase();
      if (!this.trainer) {
        this.done += this.options.steps;
        this.finishPhase(null);
        continue;
      }
      const before = this.trainer.stepsDone;
      this.trainer.train(budget);
      const ran = this.trainer.stepsDone - before;
      budget -= ran;
      this.done += ran;
      if (this.trainer.finished) {
        const head = this.trainer.head();
        this.trainer.dispose();
        this.trainer = null;
        this.finishPhase(head);
      }
    }
    const phase = this.phase > this.folds.length ? 'finished' : this.phase === this.folds.length ? 'final' : 'validating';
    return { done: Math.min(this.done, this.total), total: this.total, phase };
  }

  result(): PersonalisationResult | null {
    return this.outcome;
  }

  dispose(): void {
    this.trainer?.dispose();
    this.trainer = null;
  }
}
