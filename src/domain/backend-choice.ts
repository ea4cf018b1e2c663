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
