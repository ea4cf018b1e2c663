// A one-line progress bar with ETA on stderr (stdout stays clean for --json).
export class Progress {
  private readonly start = Date.now();
  private done = 0;
  private lastDraw = 0;

  constructor(private readonly label: string, private readonly total: number) {}

  tick(n = 1): void {
    this.done += n;
    const now = Date.now();
    if (now - this.lastDraw < 250 && this.done < this.total) return;
    this.lastDraw = now;
    const frac = this.total > 0 ? this.done / this.total : 1;
    const elapsed = (now - this.start) / 1000;
    const eta = frac > 0 ? elapsed / frac - elapsed : 0;
    const bar = '#'.repeat(Math.round(frac * 30)).padEnd(30, '.');
    const time = (s: number) => `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
    process.stderr.write(`\r${this.label} [${bar}] ${this.done}/${this.total} ${(frac * 100).toFixed(0)}% ETA ${time(eta)}  `);
    if (this.done >= this.total) process.stderr.write('\n');
  }
}
