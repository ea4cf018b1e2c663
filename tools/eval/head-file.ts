// A personal head as a JSON file (written by `eval personalise`, read by --head), kept outside the
// repository when it was trained on LFW.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validHead, type PersonalHead } from '../../src/domain/personal-head.ts';

const FORMAT = 'visage-personal-head';

export function writeHeadFile(path: string, head: PersonalHead): void {
  const out = resolve(path);
  if (out.startsWith(resolve(import.meta.dirname, '../..'))) throw new Error('Write heads outside the repository (trained on LFW, they are derived from it)');
  writeFileSync(out, JSON.stringify({ format: FORMAT, version: 1, modelId: head.modelId, dims: head.dims, weights: Array.from(head.weights), bias: Array.from(head.bias) }));
}

export function readHeadFile(path: string, modelId: string, dims: number): PersonalHead {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not a readable JSON head file (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  const r = raw as { format?: unknown; modelId?: unknown; dims?: unknown; weights?: unknown; bias?: unknown };
  if (r.format !== FORMAT || !Array.isArray(r.weights) || !Array.isArray(r.bias)) throw new Error(`${path}: not a ${FORMAT} file`);
  const head: PersonalHead = { modelId: String(r.modelId), dims: Number(r.dims), weights: Float32Array.from(r.weights as number[]), bias: Float32Array.from(r.bias as number[]) };
  if (!validHead(head, modelId, dims)) throw new Error(`${path}: the head is for ${head.modelId} (${head.dims}-d), not ${modelId} (${dims}-d), or holds non-numbers`);
  return head;
}
