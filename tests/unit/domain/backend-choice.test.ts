import { describe, expect, it } from 'vitest';
import { backendPreference, isSoftwareRenderer } from '../../../src/domain/backend-choice.ts';

describe('backend choice', () => {
  it('recognises software WebGL renderers', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
    expect(isSoftwareRenderer('Apple M2')).toBe(false);
  });

  it('puts a hardware GPU first and wasm first on software or no WebGL', () => {
    expect(backendPreference('Apple M2')).toEqual(['webgl', 'wasm', 'cpu']);
    expect(backendPreference('Google SwiftShader')).toEqual(['wasm', 'webgl', 'cpu']);
    expect(backendPreference(null)).toEqual(['wasm', 'webgl', 'cpu']);
  });

  it('honours an override but keeps the others as fallbacks', () => {
    expect(backendPreference('Apple M2', 'cpu')).toEqual(['cpu', 'webgl', 'wasm']);
    expect(backendPreference(null, 'webgl')).toEqual(['webgl', 'wasm', 'cpu']);
  });
});
