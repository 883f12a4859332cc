import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import CircuitBreaker from 'opossum';
import { AppLogger, LOGGER } from '@app/observability';
import { GatewayConfig } from '../gateway.config';
import { BreakerState, GatewayMetrics } from '../metrics/gateway-metrics';
import type { Target } from '../routes/route-table';
import type { TargetDispatcher } from './target-dispatcher';
import { UpstreamErrorAnswer, UpstreamFailure } from './upstream-failure';

type Exchange = [req: IncomingMessage, res: ServerResponse, target: Target, dispatcher: TargetDispatcher];

/** Only the target's own failures count against it; anything else (a client's doing, a bug here) does not. */
function isNotTargetFailure(error: Error): boolean {
  return !(error instanceof UpstreamFailure || error instanceof UpstreamErrorAnswer);
}

function serve(req: IncomingMessage, res: ServerResponse, target: Target, dispatcher: TargetDispatcher): Promise<void> {
  return dispatcher.serve(req, res, target);
}

/** One breaker per extracted target: too many failures open it, and requests then fail fast until a trial succeeds. */
@Injectable()
export class CircuitBreakers implements OnModuleDestroy {
  private readonly breakers = new Map<string, CircuitBreaker<Exchange, void>>();

  constructor(
    private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  /** Serves through the target's breaker; rejects with opossum's EOPENBREAKER error while it is open. */
  fire(req: IncomingMessage, res: ServerResponse, target: Target, dispatcher: TargetDispatcher): Promise<void> {
    return this.breakerOf(target.name).fire(req, res, target, dispatcher);
  }

  state(target: string): BreakerState {
    const breaker = this.breakers.get(target);
    if (breaker?.opened) return 'open';
    return breaker?.halfOpen ? 'halfOpen' : 'closed';
  }

  onModuleDestroy(): void {
    this.breakers.forEach((breaker) => breaker.shutdown());
  }

  private breakerOf(target: string): CircuitBreaker<Exchange, void> {
    let breaker = this.breakers.get(target);
    if (breaker) return breaker;
    breaker = new CircuitBreaker(serve, {
      name: target,
      // The dispatchers apply their own connect and answer timeouts.
      timeout: false,
      resetTimeout: this.config.BREAKER_RESET_MS,
      errorThresholdPercentage: this.config.BREAKER_ERROR_PERCENT,
      volumeThreshold: this.config.BREAKER_MIN_REQUESTS,
      errorFilter: isNotTargetFailure,
    });
    const changed = (state: BreakerState) => () => {
      this.metrics.breaker(target, state);
      this.logger.warn({ target, state }, `circuit breaker of ${target} is ${state}`);
    };
    breaker.on('open', changed('open'));
    breaker.on('halfOpen', changed('halfOpen'));
    breaker.on('close', changed('closed'));
    this.metrics.breaker(target, 'closed');
    this.breakers.set(target, breaker);
    return breaker;
  }
}
