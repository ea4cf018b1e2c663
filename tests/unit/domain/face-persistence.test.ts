import { describe, expect, it } from 'vitest';
import { PersistenceFilter } from '../../../src/domain/face-persistence.ts';
import { pixelBox } from '../../../src/domain/geometry.ts';

const face = (x: number) => ({ box: pixelBox(x, 50, 100, 100) });

describe('persistence filter', () => {
  it('shows a face from its second consecutive frame, following small moves', () => {
    const f = new PersistenceFilter();
    expect(f.filter([face(100)])).toEqual([]);
    expect(f.filter([face(104)])).toEqual([face(104)]);
    expect(f.filter([face(110)])).toEqual([face(110)]);
  });

  it('never shows a phantom that lasts one frame', () => {
    const f = new PersistenceFilter();
    f.filter([face(100)]);
    expect(f.filter([face(100), face(400)])).toEqual([face(100)]);
    expect(f.filter([face(100)])).toEqual([face(100)]);
  });
});
