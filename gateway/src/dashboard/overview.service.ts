import { Injectable } from '@nestjs/common';
import { BreakerState, GatewayMetrics, LATENCY_BUCKETS, TrafficCounts } from '../metrics/gateway-metrics';
import { CircuitBreakers } from '../proxy/circuit-breakers';
import { RouteTableService, RouteView } from '../routes/route-table.service';

/** What the dashboard polls: where each route goes, what each target has served, and the breakers. */
export interface Overview {
  /** When the counts were read; the dashboard turns two overviews into rates. */
  at: string;
  default: string;
  /** Every target a route may be sent to. */
  targets: { name: string; type: string }[];
  routes: RouteView[];
  /** Upper bounds, in seconds, of each `latency` entry of `traffic`. */
  latencyBuckets: number[];
  traffic: TrafficCounts[];
  /** The breaker of every target but the default one. */
  breakers: Record<string, BreakerState>;
}

@Injectable()
export class OverviewService {
  constructor(
    private readonly routes: RouteTableService,
    private readonly metrics: GatewayMetrics,
    private readonly breakers: CircuitBreakers,
  ) {}

  async overview(): Promise<Overview> {
    const table = this.routes.describe();
    const traffic = await this.metrics.traffic();
    return {
      at: new Date().toISOString(),
      default: table.default,
      targets: table.targets.map(({ name, type }) => ({ name, type })),
      routes: table.routes,
      latencyBuckets: LATENCY_BUCKETS,
      traffic,
      breakers: Object.fromEntries(
        table.targets
          .filter((target) => target.name !== table.default)
          .map((target) => [target.name, this.breakers.state(target.name)]),
      ),
    };
  }
}
