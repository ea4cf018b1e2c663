// WebAssembly text → bytes with wabt (SIMD on), shared by the build script and the test that checks it.
import wabtInit from 'wabt';

export async function compileMatcher(wat: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const module = wabt.parseWat('best-dots.wat', wat, { simd: true });
  try {
    module.validate();
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
