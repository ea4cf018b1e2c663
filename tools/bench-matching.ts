// Node micro-benchmark of open-set matching: one probe against 1 k, 10 k and 100 k enrolled samples
// (128-d, 5 samples per person), rank + decision, median and p95 over many probes, with the plain JS
// loop and with the WebAssembly SIMD loop the inference worker uses. Not a test.
// Usage: npm run bench:matching [-- --json]
import { performance } from 'node:perf_hooks';
import { Gallery, decideIdentity, type Sample } from '../src/domain/matching.ts';
import { makeEmbedding, type Embedding } from '../src/domain/embedding.ts';
import { simdBestDots } from '../src/inference/matcher/simd-matcher.ts';

const DIMS = 128;
const SAMPLES_PER_PERSON = 5;
const PROBES = 200;

/** Deterministic pseudo-random unit vectors (mulberry32), so runs are comparable. */
function randomUnit(seed: number): Embedding {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return makeEmbedding('bench', Float32Array.from({ length: DIMS }, next));
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

const rows: { loop: 'js' | 'wasm-simd'; samples: number; people: number; p50Ms: number; p95Ms: number }[] = [];
for (const loop of ['js', 'wasm-simd'] as const) for (const samples of [1_000, 10_000, 100_000]) {
  const list: Sample[] = Array.from({ length: samples }, (_, i) => ({ personId: `p${Math.floor(i / SAMPLES_PER_PERSON)}`, embedding: randomUnit(i + 1) }));
  const gallery = new Gallery('bench', DIMS, list, null, false, loop === 'wasm-simd' ? simdBestDots : undefined);
  const times: number[] = [];
  for (let i = 0; i < PROBES + 10; i++) {
    const probe = randomUnit(1e7 + i);
    const t0 = performance.now();
    decideIdentity(gallery.nearestTwo(probe), { threshold: 0.1, minMargin: 0.02 });
    if (i >= 10) times.push(performance.now() - t0); // the first probes warm the JIT
  }
  times.sort((a, b) => a - b);
  rows.push({ loop, samples, people: samples / SAMPLES_PER_PERSON, p50Ms: quantile(times, 0.5), p95Ms: quantile(times, 0.95) });
}

if (process.argv.includes('--json')) console.log(JSON.stringify({ node: process.version, dims: DIMS, rows }, null, 2));
else {
  console.log(`Matching one ${DIMS}-d probe (Node ${process.version}, ${PROBES} probes)`);
  console.log('| loop | samples | people | p50 ms | p95 ms |\n|---|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.loop} | ${r.samples.toLocaleString('en')} | ${r.people.toLocaleString('en')} | ${r.p50Ms.toFixed(2)} | ${r.p95Ms.toFixed(2)} |`);
}
