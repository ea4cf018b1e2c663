// The eval tool's flags: values and switches are read, and a misspelt or unknown flag stops the run.
import { describe, expect, it } from 'vitest';
import { numberFlag, parseArgs, stringFlag } from '../../../tools/eval/args.ts';

describe('eval flags', () => {
  it('reads the command, value flags and switches', () => {
    const args = parseArgs(['lfw', '--images', '/data/lfw', '--n', '50', '--json']);
    expect(args.command).toBe('lfw');
    expect(stringFlag(args, 'images')).toBe('/data/lfw');
    expect(numberFlag(args, 'n', 100)).toBe(50);
    expect(numberFlag(args, 'folds', 10)).toBe(10);
    expect(args.flags.has('json')).toBe(true);
    expect(args.flags.has('dry-run')).toBe(false);
  });

  it('refuses a misspelt flag, naming it', () => {
    expect(() => parseArgs(['lfw', '--imgaes', '/data/lfw'])).toThrow(/--imgaes/);
  });

  it('refuses a stray word and a value flag without its value', () => {
    expect(() => parseArgs(['lfw', 'extra'])).toThrow(/extra/);
    expect(() => parseArgs(['lfw', '--images'])).toThrow(/--images/);
  });

  it('says which required flag is missing and which number is not one', () => {
    expect(() => stringFlag(parseArgs(['lfw']), 'pairs')).toThrow('--pairs is required');
    expect(() => numberFlag(parseArgs(['speed', '--n', 'ten']), 'n', 100)).toThrow('--n needs a number');
  });
});
