import { quantile, ratesBetween, serviceShare, windowStart } from './rates';
import type { Overview, TrafficCounts } from './types';

const BUCKETS = [0.01, 0.1, 1];

function overview(at: number, traffic: TrafficCounts[]): Overview {
  return {
    at: new Date(at).toISOString(),
    default: 'monolith',
    targets: [],
    routes: [],
    latencyBuckets: BUCKETS,
    traffic,
    breakers: {},
  };
}

const pair = (target: string, requests: number, errors: number, latency: number[]): TrafficCounts => ({
  route: 'search',
  target,
  requests,
  errors,
  latency,
});

describe('quantile', () => {
  it('interpolates within the bucket the rank falls in', () => {
    // 100 requests: 50 under 10 ms, 50 between 10 ms and 100 ms; the 99th is 98% into the second bucket.
    expect(quantile(0.99, BUCKETS, [50, 100, 100], 100)).toBeCloseTo(0.01 + 0.09 * (49 / 50));
    expect(quantile(0.5, BUCKETS, [100, 100, 100], 100)).toBeCloseTo(0.005);
  });

  it('is Infinity past the last bucket and null without requests', () => {
    expect(quantile(0.99, BUCKETS, [0, 0, 50], 100)).toBe(Infinity);
    expect(quantile(0.99, BUCKETS, [0, 0, 0], 0)).toBeNull();
  });
});

describe('ratesBetween', () => {
  it('turns the counts of two overviews into requests per second, error rate and p99', () => {
    const earlier = overview(0, [pair('search', 10, 0, [10, 10, 10])]);
    const later = overview(5_000, [pair('search', 60, 5, [10, 60, 60]), pair('monolith', 20, 0, [20, 20, 20])]);
    const [search, monolith] = ratesBetween(earlier, later);
    expect(search).toMatchObject({ target: 'search', perSecond: 10, errorRate: 0.1 });
    expect(search.p99).toBeGreaterThan(0.01);
    expect(search.p99).toBeLessThanOrEqual(0.1);
    expect(monolith).toMatchObject({ target: 'monolith', perSecond: 4, errorRate: 0 });
  });

  it('counts from zero again after the gateway restarted', () => {
    const earlier = overview(0, [pair('search', 100, 0, [100, 100, 100])]);
    const later = overview(10_000, [pair('search', 30, 3, [30, 30, 30])]);
    expect(ratesBetween(earlier, later)[0]).toMatchObject({ perSecond: 3, errorRate: 0.1 });
  });

  it('gives no error rate or p99 to a pair without requests in the window', () => {
    const same = pair('search', 10, 1, [10, 10, 10]);
    expect(ratesBetween(overview(0, [same]), overview(1_000, [same]))[0]).toMatchObject({
      perSecond: 0,
      errorRate: null,
      p99: null,
    });
  });
});

describe('windowStart', () => {
  it('picks the newest overview old enough, else the oldest, and nothing with one overview', () => {
    const history = [0, 3_000, 6_000, 9_000, 12_000].map((at) => overview(at, []));
    expect(windowStart(history, 5)).toBe(history[2]);
    expect(windowStart(history, 60)).toBe(history[0]);
    expect(windowStart(history.slice(0, 1), 5)).toBeUndefined();
  });
});

describe('serviceShare', () => {
  it('is the share not served by the default target', () => {
    const items = [
      { target: 'monolith', amount: 3 },
      { target: 'search', amount: 1 },
    ];
    expect(serviceShare(items, 'monolith')).toBe(0.25);
    expect(serviceShare([], 'monolith')).toBeNull();
  });
});
