// Which tfjs backend to try first, from what the GPU says about itself. Pure: no DOM, no tfjs.

export type BackendName = 'webgl' | 'wasm' | 'cpu';

// Software rasterisers run WebGL on the CPU, measured 13x slower than wasm for our pipeline.
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|basic render|microsoft basic/i;

export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERERS.test(renderer);
}

/**
 * The order to try backends in. `renderer` is the unmasked WebGL renderer, or null when WebGL is absent.
 * A hardware GPU goes first; otherwise wasm, with cpu always last as the one that cannot fail.
 */
export function backendPreference(renderer: string | null, override?: BackendName): BackendName[] {
  const auto: BackendName[] = renderer !== null && !isSoftwareRenderer(renderer)
    ? ['webgl', 'wasm', 'cpu']
    : ['wasm', 'webgl', 'cpu'];
  if (!override) return auto;
  return [override, ...auto.filter((b) => b !== override)];
}

/**
 * Backends worth timing with the real models before choosing: WebGL and wasm where the GPU is real
 * hardware (either can win: a weak integrated GPU loses to wasm SIMD on a fast CPU); nothing to time
 * where WebGL is software or absent (wasm wins by 13× there, measured).
 */
export function backendsToMeasure(renderer: string | null): BackendName[] {
  return renderer !== null && !isSoftwareRenderer(renderer) ? ['webgl', 'wasm'] : [];
}

/** The fastest backend of those timed (ms per live frame); ties go to the first timed. */
export function fastestBackend(timings: Partial<Record<BackendName, number>>): BackendName | null {
  let best: BackendName | null = null;
  for (const [name, ms] of Object.entries(timings) as [BackendName, number][]) {
    if (Number.isFinite(ms) && (best === null || ms < (timings[best] as number))) best = name;
  }
  return best;
}

/** A backend chosen by measurement, remembered per build and GPU so the next start skips the timing. */
export interface RememberedBackend {
  build: string;
  renderer: string | null;
  backend: BackendName;
  timings: Partial<Record<BackendName, number>>;
}

/** The remembered choice if it still applies to this build and this GPU. */
export function rememberedBackend(raw: unknown, build: string, renderer: string | null): RememberedBackend | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Partial<RememberedBackend>;
  const valid = r.build === build && r.renderer === renderer && (r.backend === 'webgl' || r.backend === 'wasm' || r.backend === 'cpu');
  return valid ? (r as RememberedBackend) : null;
}
