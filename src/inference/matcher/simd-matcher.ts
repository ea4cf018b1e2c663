// The gallery's hot loop in WebAssembly SIMD (best-dots.wat): about 5× the plain loop at 100 k samples.
// Each gallery gets its own instance, with its matrix and owners copied into that instance's memory once;
// a probe is then one copy of 128 floats and one call. Where the engine lacks wasm SIMD, or the width is
// not a multiple of 8, the gallery keeps its plain loop.
import type { BestDotsFactory } from '../../domain/matching.ts';
import { BEST_DOTS_WASM } from './matcher-bytes.ts';

const PAGE = 65_536;
let compiled: WebAssembly.Module | null | undefined;

function matcherModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  const bytes = Uint8Array.from(atob(BEST_DOTS_WASM), (c) => c.charCodeAt(0));
  // validate() is false where SIMD is missing; 268 bytes compile synchronously even on a page.
  compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  return compiled;
}

export const simdBestDots: BestDotsFactory = (matrix, dims, owners, people) => {
  const module = matcherModule();
  if (!module || dims % 8 !== 0 || owners.length === 0) return null;
  const instance = new WebAssembly.Instance(module);
  const memory = instance.exports.memory as WebAssembly.Memory;
  const bestDots = instance.exports.bestDots as (m: number, rows: number, dims: number, owners: number, probe: number, best: number) => void;
  const ownersAt = matrix.byteLength;
  const probeAt = ownersAt + owners.byteLength;
  const bestAt = probeAt + dims * 4;
  const end = bestAt + people * 4;
  const pages = Math.ceil(end / PAGE) - memory.buffer.byteLength / PAGE;
  if (pages > 0) memory.grow(pages);
  new Float32Array(memory.buffer, 0, matrix.length).set(matrix);
  new Int32Array(memory.buffer, ownersAt, owners.length).set(owners);
  const probe = new Float32Array(memory.buffer, probeAt, dims);
  const best = new Float32Array(memory.buffer, bestAt, people);
  const rows = owners.length;
  return (v) => {
    probe.set(v);
    best.fill(Number.NEGATIVE_INFINITY);
    bestDots(0, rows, dims, ownersAt, probeAt, bestAt);
    return best;
  };
};
