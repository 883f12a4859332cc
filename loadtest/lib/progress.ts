import type { ResponseObserver } from './measure';

/** Where progress goes: the terminal, or anything that collects text (tests). */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface LiveCounter extends ResponseObserver {
  stop(): void;
}

/**
 * The terminal side of a run: one line per step, and while load runs a live
 * line (stage, elapsed, current req/s), redrawn every second on a terminal
 * and printed every few seconds into a log.
 */
export class Progress {
  private liveLine = false;

  constructor(private readonly out: ProgressOutput = process.stdout) {}

  say(line: string): void {
    this.clearLive();
    this.out.write(`${line}\n`);
  }

  /** Counts responses and prints `[label] 12s/20s  1234 req/s  non-2xx 0  errors 0` as they come. */
  live(label: string, durationSeconds: number): LiveCounter {
    const started = Date.now();
    let total = 0;
    let lastTotal = 0;
    let non2xx = 0;
    let errors = 0;
    const everySeconds = this.out.isTTY ? 1 : 5;
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
      const rps = total - lastTotal;
      lastTotal = total;
      if (ticks % everySeconds !== 0) return;
      const elapsed = Math.min(durationSeconds, Math.round((Date.now() - started) / 1000));
      const line = `[${label}] ${elapsed}s/${durationSeconds}s  ${rps} req/s  non-2xx ${non2xx}  errors ${errors}`;
      if (this.out.isTTY) {
        this.out.write(`\r${line}\x1b[K`);
        this.liveLine = true;
      } else {
        this.out.write(`${line}\n`);
      }
    }, 1000);
    return {
      response: (_endpoint, status) => {
        total++;
        if (status < 200 || status > 299) non2xx++;
      },
      error: () => {
        errors++;
      },
      stop: () => {
        clearInterval(timer);
        this.clearLive();
      },
    };
  }

  private clearLive(): void {
    if (!this.liveLine) return;
    this.out.write('\r\x1b[K');
    this.liveLine = false;
  }
}
