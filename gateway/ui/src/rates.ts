// Live rates from two of the gateway's overviews: the counts are cumulative, so a window is a difference.
import type { Overview, TrafficCounts } from './types';

export interface TargetRate {
  route: string;
  target: string;
  perSecond: number;
  /** Share of the window's answers that were 5xx; null when there were none. */
  errorRate: number | null;
  /** 99th percentile latency in seconds, interpolated within its bucket; Infinity past the last bucket; null when no requests. */
  p99: number | null;
}

/**
 * The q-quantile of a histogram given as cumulative counts per upper bound,
 * interpolated linearly within the bucket it falls in (as Prometheus'
 * histogram_quantile does).
 */
export function quantile(q: number, bounds: number[], cumulative: number[], total: number): number | null {
  if (total <= 0) return null;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    if (cumulative[i] >= rank) {
      const lower = i === 0 ? 0 : bounds[i - 1];
      const below = i === 0 ? 0 : cumulative[i - 1];
      return lower + ((bounds[i] - lower) * (rank - below)) / (cumulative[i] - below);
    }
  }
  return Infinity;
}

const ZERO = (pair: TrafficCounts): TrafficCounts => ({
  ...pair,
  requests: 0,
  errors: 0,
  latency: pair.latency.map(() => 0),
});

/** Rates of every (route, target) pair between two overviews; counts that went down (a restart) start from zero. */
export function ratesBetween(earlier: Overview, later: Overview): TargetRate[] {
  const seconds = (Date.parse(later.at) - Date.parse(earlier.at)) / 1000;
  const before = new Map(earlier.traffic.map((pair) => [`${pair.route}\u0000${pair.target}`, pair]));
  return later.traffic.map((pair) => {
    const found = before.get(`${pair.route}\u0000${pair.target}`);
    const start = !found || found.requests > pair.requests ? ZERO(pair) : found;
    const requests = pair.requests - start.requests;
    const latency = pair.latency.map((count, i) => count - (start.latency[i] ?? 0));
    return {
      route: pair.route,
      target: pair.target,
      perSecond: seconds > 0 ? requests / seconds : 0,
      errorRate: requests > 0 ? (pair.errors - start.errors) / requests : null,
      p99: quantile(0.99, later.latencyBuckets, latency, requests),
    };
  });
}

/** The newest overview at least `seconds` older than the last one, else the oldest kept. */
export function windowStart(history: Overview[], seconds: number): Overview | undefined {
  if (history.length < 2) return undefined;
  const end = Date.parse(history[history.length - 1].at);
  for (let i = history.length - 2; i >= 0; i--) {
    if (end - Date.parse(history[i].at) >= seconds * 1000) return history[i];
  }
  return history[0];
}

/** The share of `amount` served by targets other than the monolith (the default target); null when there is none. */
export function serviceShare(items: { target: string; amount: number }[], defaultTarget: string): number | null {
  const total = items.reduce((sum, item) => sum + item.amount, 0);
  if (total <= 0) return null;
  const services = items.filter((item) => item.target !== defaultTarget).reduce((sum, item) => sum + item.amount, 0);
  return services / total;
}
