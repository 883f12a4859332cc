import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { createMetricsRegistry } from '@app/observability';

export const BREAKER_STATES = { closed: 0, halfOpen: 1, open: 2 } as const;
export type BreakerState = keyof typeof BREAKER_STATES;

export type FallbackReason = 'open' | 'failed';

type CounterChild = ReturnType<Counter<string>['labels']>;
type HistogramChild = ReturnType<Histogram<string>['labels']>;

/** The counters of one (route, target) pair, bound once so a request does no label lookups of its own. */
export class ExchangeMetrics {
  private readonly byStatus = new Map<number, CounterChild>();

  constructor(
    private readonly requests: Counter<string>,
    private readonly latency: HistogramChild,
    private readonly route: string,
    private readonly target: string,
  ) {}

  record(status: number, seconds: number): void {
    let counter = this.byStatus.get(status);
    if (!counter) {
      counter = this.requests.labels(this.route, this.target, String(status));
      this.byStatus.set(status, counter);
    }
    counter.inc();
    this.latency.observe(seconds);
  }
}

@Injectable()
export class GatewayMetrics {
  readonly registry = createMetricsRegistry('gateway');

  private readonly requests = new Counter({
    name: 'gateway_requests_total',
    help: 'Proxied requests by route, the target that answered, and status',
    labelNames: ['route', 'target', 'status'],
    registers: [this.registry],
  });

  private readonly latency = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'Time from request to the end of the response, by route and target',
    labelNames: ['route', 'target'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly fallbacks = new Counter({
    name: 'gateway_fallbacks_total',
    help: 'GET/HEAD requests served by the default target because their target failed',
    labelNames: ['route', 'target', 'reason'],
    registers: [this.registry],
  });

  private readonly breakers = new Gauge({
    name: 'gateway_breaker_state',
    help: 'Circuit breaker per target: 0 closed, 1 half-open, 2 open',
    labelNames: ['target'],
    registers: [this.registry],
  });

  private readonly reloads = new Counter({
    name: 'gateway_route_reloads_total',
    help: 'Route table loads by result (ok = applied, failed = rejected, last good table kept)',
    labelNames: ['result'],
    registers: [this.registry],
  });

  private readonly shadowComparisons = new Counter({
    name: 'gateway_shadow_comparisons_total',
    help: 'Shadowed requests by result: match, differ (in a field that is not noise), failed (candidate failed or timed out), skipped (too many in flight)',
    labelNames: ['route', 'result'],
    registers: [this.registry],
  });

  private readonly canaryRequests = new Counter({
    name: 'gateway_canary_requests_total',
    help: 'Safe requests of a canary route by the side they were assigned to (baseline or candidate)',
    labelNames: ['route', 'side'],
    registers: [this.registry],
  });

  private readonly weights = new Gauge({
    name: 'gateway_route_weight',
    help: "Percent of a canary route's safe requests assigned to its candidate",
    labelNames: ['route'],
    registers: [this.registry],
  });

  private readonly rollbacks = new Counter({
    name: 'gateway_rollbacks_total',
    help: "Routes rolled back, by cause: error_rate or p99 (the gateway's verdict), manual (an admin)",
    labelNames: ['route', 'reason'],
    registers: [this.registry],
  });

  private readonly promotions = new Counter({
    name: 'gateway_promotions_total',
    help: 'Promotion steps the gateway took on its own after a healthy dwell',
    labelNames: ['route'],
    registers: [this.registry],
  });

  private readonly exchanges = new Map<string, Map<string, ExchangeMetrics>>();

  exchange(route: string, target: string): ExchangeMetrics {
    let byTarget = this.exchanges.get(route);
    if (!byTarget) {
      byTarget = new Map();
      this.exchanges.set(route, byTarget);
    }
    let metrics = byTarget.get(target);
    if (!metrics) {
      metrics = new ExchangeMetrics(this.requests, this.latency.labels(route, target), route, target);
      byTarget.set(target, metrics);
    }
    return metrics;
  }

  fallback(route: string, target: string, reason: FallbackReason): void {
    this.fallbacks.inc({ route, target, reason });
  }

  breaker(target: string, state: BreakerState): void {
    this.breakers.set({ target }, BREAKER_STATES[state]);
  }

  shadowComparison(route: string, result: 'match' | 'differ' | 'failed' | 'skipped'): void {
    this.shadowComparisons.inc({ route, result });
  }

  /** The counter of one side of a canary, bound once per route and side. */
  canarySide(route: string, side: 'baseline' | 'candidate'): CounterChild {
    return this.canaryRequests.labels(route, side);
  }

  routeWeight(route: string, weight: number): void {
    this.weights.set({ route }, weight);
  }

  rollback(route: string, reason: 'error_rate' | 'p99' | 'manual'): void {
    this.rollbacks.inc({ route, reason });
  }

  promotion(route: string): void {
    this.promotions.inc({ route });
  }

  reload(result: 'ok' | 'failed'): void {
    this.reloads.inc({ result });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
