// `eval calibrate`: fits each model's 1:N policy (threshold + margin, with or without flip) for FPIR 1 % on
// LFW half A with a bootstrap margin over its galleries (so it holds on galleries it has not seen),
// checks it on the held-out half B, and writes it into public/models/manifest.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { calibratePolicy, calibrateRobustPolicy, identificationRates, type CalibratedPolicy, type IdentificationRates, type RankedProbe } from '../../../src/domain/identification-metrics.ts';
import { parseModelManifest, type Calibration } from '../../../src/domain/model-manifest.ts';
import type { EmbedderId } from '../../../src/domain/embedder-specs.ts';
import type { FaceLookup, FaceStore } from '../face-store.ts';
import { DEFAULT_SPLITS, identificationSplits, type IdentificationSplit } from '../identification-splits.ts';
import { listPeople } from '../person-folders.ts';
import { rankProbes } from './identify.ts';

export interface CalibrationReport {
  model: EmbedderId;
  flip: boolean;
  targetFpir: number;
  calibration: CalibratedPolicy;
  /** Fitted exactly at the target on half A (no bootstrap margin): what the margin protects against. */
  exact: CalibratedPolicy;
  heldOutExact: IdentificationRates;
  thresholdOnly: CalibratedPolicy;
  heldOut: IdentificationRates;
  heldOutThresholdOnly: IdentificationRates;
  /** DIR at FPIR target on half A, without and with flip. */
  flipComparison: { flip: boolean; dir: number }[];
  skipped: number;
}

function rankAll(model: EmbedderId, flip: boolean, splits: readonly IdentificationSplit[], faces: Map<string, FaceLookup>) {
  let skipped = 0;
  const bySplit: RankedProbe[][] = [];
  for (const s of splits) {
    const r = rankProbes(model, flip, s.gallery, s.probes, faces);
    bySplit.push(r.ranked);
    skipped += r.skipped;
  }
  return { ranked: bySplit.flat(), bySplit, skipped };
}

/** @param opts.flip forced on or off (e.g. where LFW verification decided); by default the higher half-A DIR. */
export async function runCalibrate(store: FaceStore, opts: { imagesDir: string; model: EmbedderId; targetFpir: number; flip?: boolean }): Promise<CalibrationReport> {
  const people = listPeople(opts.imagesDir);
  const faces = await store.embedAll([...people.values()].flat(), opts.model, 0);
  const halfA = identificationSplits(people, { ...DEFAULT_SPLITS, half: 'A' });
  const halfB = identificationSplits(people, { ...DEFAULT_SPLITS, half: 'B' });
  const tried = [false, true].map((flip) => {
    const { ranked, bySplit, skipped } = rankAll(opts.model, flip, halfA, faces);
    return { flip, ranked, skipped, fit: calibrateRobustPolicy(bySplit, opts.targetFpir), exact: calibratePolicy(ranked, opts.targetFpir) };
  });
  const chosen = opts.flip === undefined ? tried.reduce((a, b) => (b.fit.rates.dir > a.fit.rates.dir ? b : a)) : tried[opts.flip ? 1 : 0] ?? tried[0]!;
  const heldOut = rankAll(opts.model, chosen.flip, halfB, faces).ranked;
  const thresholdOnly = calibratePolicy(chosen.ranked, opts.targetFpir, [0]);
  return {
    model: opts.model,
    flip: chosen.flip,
    targetFpir: opts.targetFpir,
    calibration: chosen.fit,
    exact: chosen.exact,
    heldOutExact: identificationRates(heldOut, chosen.exact.policy),
    thresholdOnly,
    heldOut: identificationRates(heldOut, chosen.fit.policy),
    heldOutThresholdOnly: identificationRates(heldOut, thresholdOnly.policy),
    flipComparison: tried.map((t) => ({ flip: t.flip, dir: t.fit.rates.dir })),
    skipped: chosen.skipped,
  };
}

export function writeCalibration(manifestPath: string, report: CalibrationReport, date: string): void {
  const manifest = parseModelManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
  const entry = manifest.models.find((m) => m.id === report.model);
  if (!entry) throw new Error(`${report.model} is not in ${manifestPath}`);
  const calibration: Calibration = {
    threshold: Number(report.calibration.policy.threshold.toFixed(4)),
    minMargin: report.calibration.policy.minMargin,
    flip: report.flip,
    fpir: report.targetFpir,
    dir: Number(report.heldOut.dir.toFixed(4)),
    data: `LFW deep-funneled (the 7,701 pairs.txt images): fitted on people half A (threshold at 90 % bootstrap confidence over its galleries), DIR/FPIR measured on held-out half B; ` +
      `${DEFAULT_SPLITS.repetitions} splits per half of ${DEFAULT_SPLITS.enrolled} people enrolled with one photo and ${DEFAULT_SPLITS.strangers} strangers`,
    date,
  };
  entry.calibration = calibration;
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

export function printCalibrate(r: CalibrationReport): void {
  const p = r.calibration.policy;
  console.log(`calibrate ${r.model}: flip ${r.flip ? 'on' : 'off'} (DIR@FPIR${pct(r.targetFpir)} on half A: ${r.flipComparison.map((f) => `${f.flip ? 'flip' : 'no flip'} ${pct(f.dir)}`).join(', ')})`);
  console.log(`  policy: threshold ${p.threshold.toFixed(4)}, margin ${p.minMargin} → half A DIR ${pct(r.calibration.rates.dir)}, FPIR ${pct(r.calibration.rates.fpir)}`);
  console.log(`  held-out half B: DIR ${pct(r.heldOut.dir)}, wrong name ${pct(r.heldOut.wrongName)}, FPIR ${pct(r.heldOut.fpir)} (${r.heldOut.known} known, ${r.heldOut.unknown} unknown probes)`);
  console.log(`  fitted exactly at the target (no bootstrap): threshold ${r.exact.policy.threshold.toFixed(4)}, margin ${r.exact.policy.minMargin} → half A FPIR ${pct(r.exact.rates.fpir)}, half B DIR ${pct(r.heldOutExact.dir)}, FPIR ${pct(r.heldOutExact.fpir)}`);
  console.log(`  threshold only (no margin): threshold ${r.thresholdOnly.policy.threshold.toFixed(4)} → half B DIR ${pct(r.heldOutThresholdOnly.dir)}, FPIR ${pct(r.heldOutThresholdOnly.fpir)}`);
}
