import { Inject, Injectable } from '@nestjs/common';
import type { BreakerState } from '../metrics/gateway-metrics';
import { CircuitBreakers } from '../proxy/circuit-breakers';
import { TARGET_DISPATCHERS, TargetDispatcher, TargetDispatchers } from '../proxy/target-dispatcher';
import type { Target, TargetType } from '../routes/route-table';
import { ReloadOutcome, RouteTableService } from '../routes/route-table.service';

export interface TargetStatus {
  type: TargetType;
  status: 'up' | 'down';
  detail?: string;
  breaker?: BreakerState;
}

export interface GatewayHealth {
  /** degraded: the default target, which serves every unmatched request and every fallback, is down. */
  status: 'ok' | 'degraded';
  service: 'gateway';
  uptime: number;
  routes: { default: string; lastReload: ReloadOutcome };
  targets: Record<string, TargetStatus>;
}

@Injectable()
export class HealthService {
  constructor(
    private readonly routes: RouteTableService,
    @Inject(TARGET_DISPATCHERS) private readonly dispatchers: TargetDispatchers,
    private readonly breakers: CircuitBreakers,
  ) {}

  async check(): Promise<GatewayHealth> {
    const { table } = this.routes;
    const targets = [...table.targets.values()];
    const statuses = await Promise.all(targets.map((target) => this.probe(target, target === table.defaultTarget)));
    return {
      status: statuses[targets.indexOf(table.defaultTarget)].status === 'up' ? 'ok' : 'degraded',
      service: 'gateway',
      uptime: Math.round(process.uptime()),
      routes: { default: table.defaultTarget.name, lastReload: this.routes.lastReload },
      targets: Object.fromEntries(targets.map((target, i) => [target.name, statuses[i]])),
    };
  }

  private async probe(target: Target, isDefault: boolean): Promise<TargetStatus> {
    const dispatcher = this.dispatchers[target.type] as TargetDispatcher;
    const health = await dispatcher.health(target);
    return isDefault
      ? { type: target.type, ...health }
      : { type: target.type, ...health, breaker: this.breakers.state(target.name) };
  }
}
