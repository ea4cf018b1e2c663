import { describe, expect, it } from 'vitest';
import { backendPreference, backendsToMeasure, fastestBackend, isSoftwareRenderer, rememberedBackend } from '../../../src/domain/backend-choice.ts';

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

  it('times WebGL against wasm only on a hardware GPU', () => {
    expect(backendsToMeasure('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toEqual(['webgl', 'wasm']);
    expect(backendsToMeasure('Google SwiftShader')).toEqual([]);
    expect(backendsToMeasure(null)).toEqual([]);
  });

  it('picks the fastest measured backend, ignoring failed timings', () => {
    expect(fastestBackend({ webgl: 12, wasm: 40 })).toBe('webgl');
    expect(fastestBackend({ webgl: 90, wasm: 40 })).toBe('wasm');
    expect(fastestBackend({ webgl: Number.NaN, wasm: 40 })).toBe('wasm');
    expect(fastestBackend({})).toBeNull();
  });

  it('remembers a choice only for the same build and GPU', () => {
    const saved = { build: 'b1', renderer: 'Apple M2', backend: 'webgl', timings: { webgl: 10, wasm: 30 } };
    expect(rememberedBackend(saved, 'b1', 'Apple M2')?.backend).toBe('webgl');
    expect(rememberedBackend(saved, 'b2', 'Apple M2')).toBeNull();
    expect(rememberedBackend(saved, 'b1', 'Intel UHD')).toBeNull();
    expect(rememberedBackend({ ...saved, backend: 'gpu' }, 'b1', 'Apple M2')).toBeNull();
    expect(rememberedBackend('garbage', 'b1', 'Apple M2')).toBeNull();
  });
});
