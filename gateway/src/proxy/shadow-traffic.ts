import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { AppLogger, LOGGER } from '@app/observability';
import { DeliveryMonitor, RouteWatch } from '../delivery/delivery-monitor.service';
import { Answer, differingPaths } from '../delivery/json-diff';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import type { Route, Target } from '../routes/route-table';
import { ANSWER_TAP, TappedRequest, copiedHeaders } from './answer-tap';
import { HttpTargetDispatcher } from './http-target.dispatcher';
import { RpcTargetDispatcher } from './rpc-target.dispatcher';

/** The first shadowed requests of a candidate all go to the target twice, so its noise is known early. */
const NOISE_WARMUP = 20;

/**
 * Shadows a route's safe requests: once the target's answer to the client is
 * complete, a copy of the request goes to the candidate (and, for a sample,
 * to the target again, to learn which fields it varies by itself), and the
 * answers are compared. The client's request is done before any of this
 * starts, so it never waits for the candidate; how many copies run at once
 * and how long each may take are bounded per route.
 */
@Injectable()
export class ShadowTraffic {
  constructor(
    private readonly http: HttpTargetDispatcher,
    private readonly rpc: RpcTargetDispatcher,
    private readonly monitor: DeliveryMonitor,
    private readonly metrics: GatewayMetrics,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  /** Arms the request's answer tap if the route's sample rate picks it. */
  arm(req: IncomingMessage, route: Route): void {
    const { sampleRate } = route.delivery.shadow;
    if (sampleRate < 1 && Math.random() >= sampleRate) return;
    (req as TappedRequest)[ANSWER_TAP] = (answer) => void this.compare(req, route, answer);
  }

  private async compare(req: IncomingMessage, route: Route, answer: Answer): Promise<void> {
    const watch = this.monitor.watchOf(route);
    const settings = route.delivery.shadow;
    if (watch.shadowsInFlight >= settings.maxInFlight) {
      watch.shadow.skipped++;
      this.metrics.shadowComparison(route.name, 'skipped');
      return;
    }
    watch.shadowsInFlight++;
    const method = req.method as string;
    const url = req.url as string;
    try {
      const headers = copiedHeaders(req);
      const twice = this.inWarmup(watch) || Math.random() < settings.noiseSampleRate;
      const [candidate, again] = await Promise.allSettled([
        this.fetch(route.candidate as Target, method, url, headers, settings.timeoutMs),
        twice ? this.fetch(route.target, method, url, headers, settings.timeoutMs) : undefined,
      ]);
      if (again.status === 'fulfilled' && again.value) watch.shadow.learnNoise(differingPaths(answer, again.value));
      if (candidate.status === 'rejected') {
        watch.shadow.failed++;
        this.metrics.shadowComparison(route.name, 'failed');
        this.logger.debug({ route: route.name, err: (candidate.reason as Error).message }, 'shadow request failed');
        return;
      }
      const differs = watch.shadow.compare(url, answer, candidate.value, differingPaths(answer, candidate.value));
      this.metrics.shadowComparison(route.name, differs ? 'differ' : 'match');
    } finally {
      watch.shadowsInFlight--;
    }
  }

  private inWarmup(watch: RouteWatch): boolean {
    return watch.shadow.comparedSoFar < NOISE_WARMUP;
  }

  private fetch(
    target: Target,
    method: string,
    url: string,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<Answer> {
    return target.type === 'http'
      ? this.http.fetchAnswer(target, method, url, headers, timeoutMs)
      : this.rpc.answer(target, url, timeoutMs);
  }
}
