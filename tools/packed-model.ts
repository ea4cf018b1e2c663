// One file out of an npm package that is not installed: `npm pack name@version` (the tarball alone, none
// of the package's dependencies), the registry's sha512 integrity checked, then the file's own sha256.
// faceplugin-face-recognition-js lists 11 unrelated runtime dependencies (673 packages, 317 MB) for the
// one 4.9 MB model we need, so it is packed, never installed.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export interface PackedFile {
  package: string;
  version: string;
  /** The registry's `dist.integrity` for that exact version. */
  integrity: string;
  /** Path inside the package. */
  file: string;
  sha256: string;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const sha512 = (bytes: Buffer): string => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

/** The tarball, from the cache folder or packed anew; refused (and not kept) when its integrity differs. */
function tarball(spec: PackedFile, cacheDir: string): string {
  mkdirSync(cacheDir, { recursive: true });
  const name = `${spec.package.replace('@', '').replace('/', '-')}-${spec.version}.tgz`;
  const path = join(cacheDir, name);
  if (existsSync(path) && sha512(readFileSync(path)) === spec.integrity) return path;
  const staging = join(cacheDir, 'staging');
  mkdirSync(staging, { recursive: true });
  const out = execFileSync('npm', ['pack', `${spec.package}@${spec.version}`, '--json', '--ignore-scripts', '--pack-destination', staging], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [packed] = JSON.parse(out) as { filename: string; integrity: string }[];
  if (!packed) throw new Error(`npm pack ${spec.package}@${spec.version} gave no tarball`);
  const got = sha512(readFileSync(join(staging, packed.filename)));
  if (got !== spec.integrity) {
    throw new Error(`${spec.package}@${spec.version}: the tarball's integrity is ${got}, expected ${spec.integrity}`);
  }
  renameSync(join(staging, packed.filename), path);
  return path;
}

/** The file's bytes, after both checks. */
export function packedFile(spec: PackedFile, cacheDir: string): Buffer {
  const tgz = tarball(spec, cacheDir);
  let bytes: Buffer;
  try {
    bytes = execFileSync('tar', ['-xzOf', tgz, `package/${spec.file}`], { maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    throw new Error(`${spec.package}@${spec.version} has no ${spec.file}`);
  }
  const got = sha256(bytes);
  if (got !== spec.sha256) throw new Error(`${spec.package}@${spec.version} ${spec.file}: sha256 ${got}, expected ${spec.sha256}`);
  return bytes;
}
