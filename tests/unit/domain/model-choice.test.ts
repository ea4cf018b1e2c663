// Who is on which model: a chosen model stays; the default serves a user who never chose only once every
// sample has its embedding, the previous default until then.
import { describe, expect, it } from 'vitest';
import { chooseModel } from '../../../src/domain/model-choice.ts';

describe('chooseModel', () => {
  it('keeps a model the user chose, whatever the default', () => {
    expect(chooseModel('faceres', 'new', 'old', false)).toEqual({ serving: 'faceres', target: 'faceres' });
  });

  it('keeps the previous default naming faces while the samples move to the new one', () => {
    expect(chooseModel(null, 'new', 'old', false)).toEqual({ serving: 'old', target: 'new' });
  });

  it('serves the new default once every sample has its embedding (or there are none)', () => {
    expect(chooseModel(null, 'new', 'old', true)).toEqual({ serving: 'new', target: 'new' });
  });
});
