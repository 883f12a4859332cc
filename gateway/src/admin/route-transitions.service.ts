import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@app/platform';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { TARGET_DISPATCHERS, TargetDispatcher, TargetDispatchers } from '../proxy/target-dispatcher';
import { RouteTableService, RouteView } from '../routes/route-table.service';
import { flip, promote, rollBack, startCanary, startShadow } from '../routes/transitions';

/** A transition refused because its candidate does not answer its health check. */
export class CandidateUnhealthyError extends DomainError {
  constructor(message: string) {
    super(503, message);
  }
}

/**
 * The admin side of a route's state machine: each call checks what only a
 * running gateway can (a candidate must be healthy) and hands the rest to
 * the transition rules, through the one writer of routes.yaml.
 */
@Injectable()
export class RouteTransitions {
  constructor(
    private readonly routes: RouteTableService,
    @Inject(TARGET_DISPATCHERS) private readonly dispatchers: TargetDispatchers,
    private readonly metrics: GatewayMetrics,
  ) {}

  flip(name: string, target: string, who: string, why: string | null): Promise<RouteView> {
    return this.routes.transition(name, who, why, (route, table) => flip(route, table, target));
  }

  async shadow(name: string, candidate: string, sampleRate: number | undefined, who: string, why: string | null) {
    await this.requireHealthy(candidate);
    return this.routes.transition(name, who, why, (route, table) => startShadow(route, table, candidate, sampleRate));
  }

  async canary(name: string, candidate: string, weight: number, who: string, why: string | null) {
    await this.requireHealthy(candidate);
    return this.routes.transition(name, who, why, (route, table) => startCanary(route, table, candidate, weight));
  }

  promote(name: string, who: string, why: string | null): Promise<RouteView> {
    return this.routes.transition(name, who, why, (route) => promote(route));
  }

  async rollback(name: string, who: string, why: string | null): Promise<RouteView> {
    const view = await this.routes.transition(name, who, why, (route, table) => rollBack(route, table));
    this.metrics.rollback(name, 'manual');
    return view;
  }

  /** An undeclared candidate is left to the transition, which names the declared ones. */
  private async requireHealthy(name: string): Promise<void> {
    const target = this.routes.table.targets.get(name);
    if (!target) return;
    const health = await (this.dispatchers[target.type] as TargetDispatcher).health(target);
    if (health.status !== 'up') {
      throw new CandidateUnhealthyError(
        `candidate ${name} is not healthy (${health.detail ?? 'down'}); start it or pick another`,
      );
    }
  }
}
