// The eval tool's flags, read by node:util parseArgs: every flag is declared here, so a misspelt or
// unknown one stops the run with a message instead of being silently ignored.
import { parseArgs as parseNodeArgs } from 'node:util';

const VALUE_FLAGS = [
  'backend', 'cache', 'flip', 'folds', 'fpir', 'gallery', 'gallery-photos', 'head', 'images', 'lr', 'margin',
  'model', 'models', 'n', 'out', 'pairs', 'probes', 'pull', 'repetition', 'roll', 'steps', 'threshold',
] as const;
const SWITCHES = ['dry-run', 'json'] as const;

export interface Args {
  command: string;
  flags: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[]): Args {
  const [command = 'help', ...rest] = argv;
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const name of VALUE_FLAGS) options[name] = { type: 'string' };
  for (const name of SWITCHES) options[name] = { type: 'boolean' };
  let values: Record<string, unknown>;
  try {
    values = parseNodeArgs({ args: [...rest], options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    // Node's message names the flag ("Unknown option '--imgaes'"); the rest of its text is about its own API.
    throw new Error(`${(e as Error).message.split('. ')[0] ?? 'Bad arguments'}. Run \`npm run eval -- help\` for the flags.`, { cause: e });
  }
  const flags = new Map<string, string | true>();
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string') flags.set(name, value);
    else if (value === true) flags.set(name, true);
  }
  return { command, flags };
}

export function stringFlag(args: Args, name: string, fallback?: string): string {
  const v = args.flags.get(name);
  if (typeof v === 'string') return v;
  if (fallback !== undefined) return fallback;
  throw new Error(`--${name} is required`);
}

export function numberFlag(args: Args, name: string, fallback: number): number {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n)) throw new Error(`--${name} needs a number`);
  return n;
}
