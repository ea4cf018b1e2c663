// `npm run eval -- <command> …`: accuracy of the production recognition code, in Node on tfjs wasm/cpu.
// Commands: lfw, identify, personalise, calibrate, split, speed, spoof. Add --json for machine-readable output.
import { resolve } from 'node:path';
import { parseArgs, stringFlag, numberFlag, type Args } from './eval/args.ts';
import { FaceStore } from './eval/face-store.ts';
import { printLfw, runLfw } from './eval/commands/verification.ts';
import { printIdentify, runIdentify } from './eval/commands/identify.ts';
import { printCalibrate, runCalibrate, writeCalibration } from './eval/commands/calibrate.ts';
import { printFusion, runFusion, type FusedModel } from './eval/commands/fusion.ts';
import { printSpeed, runSpeed } from './eval/commands/speed.ts';
import { printSpoof, runSpoof } from './eval/commands/spoof.ts';
import { runSplit } from './eval/commands/split.ts';
import { runTemplate } from './eval/commands/template.ts';
import { printPersonalise, runPersonalise } from './eval/commands/personalise.ts';
import { readHeadFile, writeHeadFile } from './eval/head-file.ts';
import { parseModelManifest } from '../src/domain/model-manifest.ts';
import { readFileSync } from 'node:fs';
import { DEFAULT_EMBEDDER, EMBEDDERS, isEmbedderId, type EmbedderId } from '../src/domain/embedder-specs.ts';
import type { PersonalHead } from '../src/domain/personal-head.ts';
import { DEFAULT_HEAD_TRAINING } from '../src/inference/head-training.ts';

const root = resolve(import.meta.dirname, '..');
const manifestPath = resolve(root, 'public/models/manifest.json');

function models(args: Args): EmbedderId[] {
  return stringFlag(args, 'model', DEFAULT_EMBEDDER) === 'all' ? (Object.keys(EMBEDDERS) as EmbedderId[]) : [model(args)];
}

/** The policy shipped in the manifest for a model (or given with --threshold/--margin). */
function shippedPolicy(args: Args, id: EmbedderId) {
  const entry = parseModelManifest(JSON.parse(readFileSync(manifestPath, 'utf8'))).models.find((m) => m.id === id);
  const c = entry?.calibration;
  const threshold = numberFlag(args, 'threshold', c?.threshold ?? Number.NaN);
  if (!Number.isFinite(threshold)) throw new Error(`${id} has no calibration yet: run "eval calibrate" or pass --threshold`);
  return { policy: { threshold, minMargin: numberFlag(args, 'margin', c?.minMargin ?? 0) }, flip: c?.flip ?? false };
}

const HELP = `usage: npm run eval -- <command> [options]
  lfw       --images DIR --pairs FILE [--model ID] [--roll DEG] [--head FILE]
  identify  --gallery DIR --probes DIR [--model ID] [--head FILE]
  personalise --gallery DIR --out FILE [--model ID] [--steps N]   (train a personal head, leave-one-out before/after)
  calibrate --images DIR [--model ID|all] [--fpir 0.01] [--flip on|off|best]   (best: the higher half-A DIR)
  fusion    --images DIR --pairs FILE [--models A,B]   (score fusion of two models: LFW and half B)
  split     --images DIR --out DIR [--gallery-photos K]   (K photos per person enrolled, default 1; symlinks)
  speed     --images DIR [--n 100]            (ms per face: detection, alignment, embedding per model)
  spoof     --images DIR [--n 1000]  (replay check and Human's antispoof/liveness on real faces and their simulated screen replays)
  template  --images DIR [--n 300]            (where our five points sit in a dlib face chip)
common: --backend wasm|cpu (default wasm), --cache DIR (default .cache/eval), --json`;

function model(args: Args): EmbedderId {
  const id = stringFlag(args, 'model', DEFAULT_EMBEDDER);
  if (!isEmbedderId(id)) throw new Error(`Unknown model "${id}" (${Object.keys(EMBEDDERS).join(', ')})`);
  return id;
}

/** --head FILE: a personal head every embedding is seen through. */
function headOf(args: Args, id: EmbedderId): { head?: PersonalHead } {
  const path = args.flags.get('head');
  if (path === true) throw new Error('--head needs a file');
  return path ? { head: readHeadFile(resolve(path), id, EMBEDDERS[id].dims) } : {};
}

async function openStore(args: Args): Promise<FaceStore> {
  const backend = stringFlag(args, 'backend', 'wasm');
  if (backend !== 'wasm' && backend !== 'cpu') throw new Error('--backend must be wasm or cpu');
  return FaceStore.open({
    modelsDir: resolve(root, 'public/models'),
    cacheDir: resolve(stringFlag(args, 'cache', resolve(root, '.cache/eval'))),
    backend: backend,
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const json = args.flags.has('json');
  switch (args.command) {
    case 'lfw': {
      const store = await openStore(args);
      const report = await runLfw(store, {
        imagesDir: resolve(stringFlag(args, 'images')),
        pairsFile: resolve(stringFlag(args, 'pairs')),
        model: model(args),
        roll: numberFlag(args, 'roll', 0),
        folds: numberFlag(args, 'folds', 10),
        ...headOf(args, model(args)),
      });
      if (json) console.log(JSON.stringify(report, null, 2));
      else printLfw(report);
      return;
    }
    case 'identify': {
      const store = await openStore(args);
      const id = model(args);
      const { policy, flip } = shippedPolicy(args, id);
      const report = await runIdentify(store, {
        galleryDir: resolve(stringFlag(args, 'gallery')),
        probesDir: resolve(stringFlag(args, 'probes')),
        model: id,
        policy,
        flip,
        ...headOf(args, id),
      });
      if (json) console.log(JSON.stringify(report, null, 2));
      else printIdentify(report);
      return;
    }
    case 'personalise': {
      const store = await openStore(args);
      const id = model(args);
      const { policy, flip } = shippedPolicy(args, id);
      const out = stringFlag(args, 'out');
      const { report, head } = await runPersonalise(store, {
        galleryDir: resolve(stringFlag(args, 'gallery')),
        model: id,
        policy,
        flip,
        training: { steps: numberFlag(args, 'steps', DEFAULT_HEAD_TRAINING.steps), identityPull: numberFlag(args, 'pull', DEFAULT_HEAD_TRAINING.identityPull), learningRate: numberFlag(args, 'lr', DEFAULT_HEAD_TRAINING.learningRate) },
      });
      writeHeadFile(out, head);
      if (json) console.log(JSON.stringify(report, null, 2));
      else printPersonalise(report);
      return;
    }
    case 'calibrate': {
      const store = await openStore(args);
      const reports = [];
      for (const id of models(args)) {
        const flip = stringFlag(args, 'flip', 'best');
        if (!['on', 'off', 'best'].includes(flip)) throw new Error('--flip is on, off or best');
        const report = await runCalibrate(store, {
          imagesDir: resolve(stringFlag(args, 'images')), model: id, targetFpir: numberFlag(args, 'fpir', 0.01),
          ...(flip === 'best' ? {} : { flip: flip === 'on' }),
        });
        if (!args.flags.has('dry-run')) writeCalibration(manifestPath, report, new Date().toISOString().slice(0, 10));
        reports.push(report);
        if (!json) printCalibrate(report);
      }
      if (json) console.log(JSON.stringify(reports, null, 2));
      return;
    }
    case 'fusion': {
      const store = await openStore(args);
      const ids = stringFlag(args, 'models', 'dlib-resnet,arcface-mobilefacenet').split(',');
      const fused = ids.map((id): FusedModel => {
        if (!isEmbedderId(id)) throw new Error(`Unknown model "${id}"`);
        const shipped = shippedPolicy(args, id);
        return { id, flip: shipped.flip, threshold: shipped.policy.threshold };
      });
      if (fused.length !== 2) throw new Error('--models takes two model ids, comma-separated');
      const report = await runFusion(store, {
        imagesDir: resolve(stringFlag(args, 'images')), pairsFile: resolve(stringFlag(args, 'pairs')),
        models: [fused[0] as FusedModel, fused[1] as FusedModel], targetFpir: numberFlag(args, 'fpir', 0.01),
      });
      if (json) console.log(JSON.stringify(report, null, 2));
      else printFusion(report);
      return;
    }
    case 'split': {
      const made = runSplit({ imagesDir: resolve(stringFlag(args, 'images')), outDir: stringFlag(args, 'out'), repetition: numberFlag(args, 'repetition', 0), galleryPhotos: numberFlag(args, 'gallery-photos', 1) });
      console.log(`split: ${made.gallery} gallery images, ${made.probes} probes`);
      return;
    }
    case 'spoof': {
      const report = await runSpoof(await openStore(args), { imagesDir: resolve(stringFlag(args, 'images')), n: numberFlag(args, 'n', 1000) });
      if (json) console.log(JSON.stringify(report, null, 2));
      else printSpoof(report);
      break;
    }
    case 'speed': {
      const store = await openStore(args);
      const id = stringFlag(args, 'model', 'all');
      const report = await runSpeed(store, {
        imagesDir: resolve(stringFlag(args, 'images')),
        n: numberFlag(args, 'n', 100),
        models: id === 'all' ? (Object.keys(EMBEDDERS) as EmbedderId[]) : [model(args)],
      });
      if (json) console.log(JSON.stringify(report, null, 2));
      else printSpeed(report);
      return;
    }
    case 'template': {
      const store = await openStore(args);
      const r = await runTemplate(store, { imagesDir: resolve(stringFlag(args, 'images')), n: numberFlag(args, 'n', 300), size: 150, padding: 0.25 });
      console.log(json ? JSON.stringify(r, null, 2) : `dlib chip template for our five points, from ${r.faces} faces: ${JSON.stringify(r.template)}`);
      return;
    }
    case 'help':
    case '--help':
      console.log(HELP);
      return;
    default:
      throw new Error(`Unknown command "${args.command}"\n${HELP}`);
  }
}

main().catch((e: unknown) => {
  console.error(`eval: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
