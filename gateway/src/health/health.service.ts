import { Inject, Injectable } from '@nestjs/common';
import { AppLogger, LOGGER } from '@app/observability';
import { GatewayConfig } from '../gateway.config';
import type { BreakerState } from '../metrics/gateway-metrics';
import { CircuitBreakers } from '../proxy/circuit-breakers';
import { TARGET_DISPATCHERS, TargetDispatcher, TargetDispatchers, TargetHealth } from '../proxy/target-dispatcher';
import type { Target, TargetType } from '../routes/route-table';
import { ReloadOutcome, RouteTableService } from '../routes/route-table.service';

export interface TargetStatus {
  type: TargetType;
  status: 'up' | 'down';
  detail?: string;
  breaker?: BreakerState;
}

export interface GatewayHealth {
  /** degraded: a target, or the relay that keeps the targets' data in step, is down. */
  status: 'ok' | 'degraded';
  service: 'gateway';
  uptime: number;
  routes: { default: string; lastReload: ReloadOutcome };
  targets: Record<string, TargetStatus>;
  /** The relay (extracted/sync), when the gateway knows it. */
  relay?: TargetHealth;
}

const RELAY_TIMEOUT_MS = 1_000;

@Injectable()
export class HealthService {
  constructor(
    private readonly routes: RouteTableService,
    @Inject(TARGET_DISPATCHERS) private readonly dispatchers: TargetDispatchers,
    private readonly breakers: CircuitBreakers,
    config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {
    this.relayUrl = config.SYNC_URL && `${config.SYNC_URL.replace(/\/$/, '')}/health`;
  }

  private readonly relayUrl?: string;

  async check(): Promise<GatewayHealth> {
    const { table } = this.routes;
    const targets = [...table.targets.values()];
    const [statuses, relay] = await Promise.all([
      Promise.all(targets.map((target) => this.probe(target, target === table.defaultTarget))),
      this.relayUrl ? this.probeRelay(this.relayUrl) : undefined,
    ]);
    const down = statuses.some((status) => status.status === 'down') || relay?.status === 'down';
    return {
      status: down ? 'degraded' : 'ok',
      service: 'gateway',
      uptime: Math.round(process.uptime()),
      routes: { default: table.defaultTarget.name, lastReload: this.routes.lastReload },
      targets: Object.fromEntries(targets.map((target, i) => [target.name, statuses[i]])),
      ...(relay ? { relay } : {}),
    };
  }

  private async probeRelay(url: string): Promise<TargetHealth> {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(RELAY_TIMEOUT_MS) });
      await res.body?.cancel();
      return res.ok ? { status: 'up' } : { status: 'down', detail: `GET /health answered ${res.status}` };
    } catch (error) {
      this.logger.warn({ url, err: (error as Error).message }, 'relay health check failed');
      return { status: 'down', detail: 'unreachable' };
    }
  }

  private async probe(target: Target, isDefault: boolean): Promise<TargetStatus> {
    const dispatcher = this.dispatchers[target.type] as TargetDispatcher;
    const health = await dispatcher.health(target);
    return isDefault
      ? { type: target.type, ...health }
      : { type: target.type, ...health, breaker: this.breakers.state(target.name) };
  }
}
