// Minimal flag parsing for the eval tool: --name value, --flag, and positional words.
export interface Args {
  command: string;
  flags: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[]): Args {
  const [command = 'help', ...rest] = argv;
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] as string;
    if (!word.startsWith('--')) throw new Error(`Unexpected argument "${word}"`);
    const next = rest[i + 1];
    if (next === undefined || next.startsWith('--')) flags.set(word.slice(2), true);
    else {
      flags.set(word.slice(2), next);
      i++;
    }
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
