import type { VerdictSettings } from '../routes/delivery-settings';

export interface WindowFigures {
  requests: number;
  errors: number;
  errorRate: number;
  /** null while the window is empty. */
  p99Ms: number | null;
}

/** The last `capacity` requests of one side of a route: whether each failed, and how long it took. */
export class SideWindow {
  private readonly latencies: Float64Array;
  private readonly failures: Uint8Array;
  private next = 0;
  private size = 0;
  private failed = 0;
  /** Requests recorded since the window was made, beyond what it keeps. */
  total = 0;

  constructor(readonly capacity: number) {
    this.latencies = new Float64Array(capacity);
    this.failures = new Uint8Array(capacity);
  }

  record(failed: boolean, ms: number): void {
    if (this.size === this.capacity) this.failed -= this.failures[this.next];
    else this.size++;
    this.latencies[this.next] = ms;
    this.failures[this.next] = failed ? 1 : 0;
    if (failed) this.failed++;
    this.next = (this.next + 1) % this.capacity;
    this.total++;
  }

  figures(): WindowFigures {
    if (this.size === 0) return { requests: 0, errors: 0, errorRate: 0, p99Ms: null };
    const sorted = this.latencies.slice(0, this.size).sort();
    const p99 = sorted[Math.min(this.size - 1, Math.ceil(this.size * 0.99) - 1)];
    return {
      requests: this.size,
      errors: this.failed,
      errorRate: this.failed / this.size,
      p99Ms: Math.round(p99 * 100) / 100,
    };
  }
}

export type VerdictKind = 'waiting' | 'healthy' | 'rollback';
export type BreachCause = 'error_rate' | 'p99';

export interface Verdict {
  verdict: VerdictKind;
  reason: string;
  cause?: BreachCause;
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/**
 * Compares the candidate's window with the baseline's: no verdict before the
 * candidate has `minRequests`; then a breach is an error rate above the
 * baseline's by more than the allowance, or a p99 above the baseline's times
 * the ratio plus the slack. A baseline with no requests counts as error-free
 * and leaves the p99 unjudged.
 */
export function judge(baseline: WindowFigures, candidate: WindowFigures, settings: VerdictSettings): Verdict {
  if (candidate.requests < settings.minRequests) {
    return {
      verdict: 'waiting',
      reason: `${candidate.requests} of the ${settings.minRequests} candidate requests needed for a verdict`,
    };
  }
  const allowedErrors = baseline.errorRate + settings.maxErrorRateIncrease;
  if (candidate.errorRate > allowedErrors) {
    return {
      verdict: 'rollback',
      cause: 'error_rate',
      reason: `candidate error rate ${percent(candidate.errorRate)} over the last ${candidate.requests} requests exceeds the baseline's ${percent(baseline.errorRate)} + ${percent(settings.maxErrorRateIncrease)}`,
    };
  }
  if (baseline.p99Ms !== null && candidate.p99Ms !== null) {
    const allowedP99 = baseline.p99Ms * settings.maxP99Ratio + settings.p99SlackMs;
    if (candidate.p99Ms > allowedP99) {
      return {
        verdict: 'rollback',
        cause: 'p99',
        reason: `candidate p99 ${candidate.p99Ms} ms over the last ${candidate.requests} requests exceeds the baseline's ${baseline.p99Ms} ms x ${settings.maxP99Ratio} + ${settings.p99SlackMs} ms`,
      };
    }
  }
  return {
    verdict: 'healthy',
    reason: `candidate within bounds over ${candidate.requests} requests (error rate ${percent(candidate.errorRate)}, p99 ${candidate.p99Ms} ms)`,
  };
}
