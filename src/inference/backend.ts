// Starts a tfjs backend in the order the domain prefers, and proves which one actually runs:
// tfjs falls back silently when a backend fails to initialise, so every choice is checked.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { backendPreference, type BackendName } from '../domain/backend-choice.ts';
import { webglRenderer } from './gpu-renderer.ts';

export { webglRenderer };

export interface BackendReport {
  backend: BackendName;
  renderer: string | null;
  /** Backends tried before this one, with why each failed. */
  failures: string[];
}

/**
 * @param wasmBase URL (ending in '/') of our own copies of the tfjs wasm binaries; never a CDN.
 */
export async function startBackend(wasmBase: string, override?: BackendName, knownRenderer?: string | null): Promise<BackendReport> {
  const renderer = knownRenderer === undefined ? webglRenderer() : knownRenderer;
  // Names match the files tools/copy-models.ts puts in public/models/wasm/.
  setWasmPaths({
    'tfjs-backend-wasm.wasm': `${wasmBase}tfjs-backend-wasm.wasm`,
    'tfjs-backend-wasm-simd.wasm': `${wasmBase}tfjs-backend-wasm-simd.wasm`,
    'tfjs-backend-wasm-threaded-simd.wasm': `${wasmBase}tfjs-backend-wasm-threaded-simd.wasm`,
  });
  const failures: string[] = [];
  for (const name of backendPreference(renderer, override)) {
    if (name === 'webgl' && renderer === null) {
      failures.push('webgl: no WebGL context');
      continue;
    }
    try {
      const ok = await tf.setBackend(name);
      await tf.ready();
      if (ok && tf.getBackend() === name) return { backend: name, renderer, failures };
      failures.push(`${name}: tfjs reported ${tf.getBackend()} instead`);
    } catch (e) {
      failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`No tfjs backend could start (${failures.join('; ')})`);
}
