import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import CircuitBreaker from 'opossum';
import { AppLogger, LOGGER, REQUEST_ID_HEADER, requestIdOf } from '@app/observability';
import { errorBody } from '@app/platform';
import { CanarySide, DeliveryMonitor, RouteWatch } from '../delivery/delivery-monitor.service';
import { assignsCandidate } from '../delivery/sticky';
import { ExchangeMetrics, FallbackReason, GatewayMetrics } from '../metrics/gateway-metrics';
import { Flight, RouteGates } from '../routes/route-gates';
import type { HttpTarget, Route, Target } from '../routes/route-table';
import { RouteTableService } from '../routes/route-table.service';
import { CircuitBreakers } from './circuit-breakers';
import { HttpTargetDispatcher } from './http-target.dispatcher';
import { ShadowTraffic } from './shadow-traffic';
import { TARGET_DISPATCHERS, TargetDispatcher, TargetDispatchers } from './target-dispatcher';
import {
  FALLBACK_HEADER,
  GATEWAY,
  SERVED_BY_HEADER,
  UpstreamErrorAnswer,
  UpstreamFailure,
  writeFailure,
} from './upstream-failure';

const EXCHANGE = Symbol('exchange metrics');
const STARTED_AT = Symbol('started at');
const FLIGHT = Symbol('flight');
const CANARY = Symbol('canary exchange');

/** One request of a canary route: which side served it, for that side's window. */
class CanaryExchange {
  /** Set when the side failed before answering, even if a fallback then answered the client. */
  failed = false;

  constructor(
    private readonly monitor: DeliveryMonitor,
    private readonly route: Route,
    private readonly watch: RouteWatch,
    private readonly side: CanarySide,
  ) {}

  finish(status: number, ms: number): void {
    this.monitor.recordCanary(this.route, this.watch, this.side, this.failed || status >= 500, ms);
  }
}

interface TrackedResponse extends ServerResponse {
  [EXCHANGE]: ExchangeMetrics;
  [STARTED_AT]: number;
  [FLIGHT]: Flight;
  /** Only on canary routes. */
  [CANARY]?: CanaryExchange;
}

/** Methods a fallback may repeat on the default target, a shadow may copy, and a canary may split: they change nothing. */
const SAFE_METHODS = new Set(['GET', 'HEAD']);

function recordExchange(this: TrackedResponse): void {
  this[FLIGHT].count--;
  const ms = performance.now() - this[STARTED_AT];
  this[EXCHANGE].record(this.statusCode, ms / 1000);
  this[CANARY]?.finish(this.statusCode, ms);
}

/** Answers an upgrade request on its raw socket, which has no ServerResponse. */
function refuseUpgrade(socket: Socket, message: string): void {
  const body = JSON.stringify(errorBody(501, message));
  socket.end(
    `HTTP/1.1 501 Not Implemented\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${SERVED_BY_HEADER}: ${GATEWAY}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * The proxy's hot path: match the route, tag the response, hand the request
 * to its target. Requests for the default target go straight to the proxy;
 * other targets go through their circuit breaker, and when they fail GET/HEAD
 * fall back to the default target while other methods get an explicit error.
 */
@Injectable()
export class RequestDispatcher {
  constructor(
    private readonly routes: RouteTableService,
    private readonly http: HttpTargetDispatcher,
    @Inject(TARGET_DISPATCHERS) private readonly dispatchers: TargetDispatchers,
    private readonly breakers: CircuitBreakers,
    private readonly gates: RouteGates,
    private readonly metrics: GatewayMetrics,
    private readonly monitor: DeliveryMonitor,
    private readonly shadows: ShadowTraffic,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const table = this.routes.table;
    const path = pathOf(req.url as string);
    const route = table.match(req.method as string, path);
    // The route is changing owner: the request waits, then is matched again against the table then live.
    if (this.gates.anyClosed && this.gates.park(route.name, () => this.resume(req, res))) return;
    const requestId = requestIdOf(req);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const tracked = res as TrackedResponse;
    // A live route (the common case) costs one comparison here; writes stay on the target in every mode.
    const target =
      route.mode === 'live' || !SAFE_METHODS.has(req.method as string)
        ? route.target
        : this.deliver(req, tracked, route, path);
    res.setHeader(SERVED_BY_HEADER, target.name);
    tracked[EXCHANGE] = this.metrics.exchange(route.name, target.name);
    tracked[STARTED_AT] = performance.now();
    tracked[FLIGHT] = this.gates.flight(route.name);
    tracked[FLIGHT].count++;
    res.on('close', recordExchange);
    if (target === table.defaultTarget) this.http.forward(req, res, table.defaultTarget);
    else void this.serveExtracted(req, res, route, target, table.defaultTarget);
  };

  /**
   * A safe request of a shadow or canary route: a shadow arms the copy to its
   * candidate and stays on the target; a canary assigns the client's key to
   * a side, the same side every time for the same key.
   */
  private deliver(req: IncomingMessage, res: TrackedResponse, route: Route, path: string): Target {
    if (route.mode === 'shadow') {
      this.shadows.arm(req, route);
      return route.target;
    }
    const watch = this.monitor.watchOf(route);
    const key = route.stickyKey(path, req.headers) ?? req.socket.remoteAddress ?? '';
    // A breached canary sends nothing more to its candidate while the rollback is written.
    const side: CanarySide =
      !watch.rollingBack && assignsCandidate(route.name, key, route.delivery.weight) ? 'candidate' : 'baseline';
    res[CANARY] = new CanaryExchange(this.monitor, route, watch, side);
    this.metrics.canarySide(route.name, side).inc();
    return side === 'candidate' ? (route.candidate as Target) : route.target;
  }

  /** A request that waited for a cutover goes on, unless its client has gone meanwhile. */
  private resume(req: IncomingMessage, res: ServerResponse): void {
    if (!req.socket.destroyed) this.handle(req, res);
  }

  /** Upgrades (WebSocket) go to the route's http target; a route on a target that cannot upgrade refuses them. */
  readonly upgrade = (req: IncomingMessage, socket: Socket, head: Buffer): void => {
    const { target } = this.routes.table.match('GET', pathOf(req.url as string));
    if (target.type === 'http') this.http.upgrade(req, socket, head, target);
    else refuseUpgrade(socket, `${target.name} does not take connection upgrades`);
  };

  private async serveExtracted(
    req: IncomingMessage,
    res: ServerResponse,
    route: Route,
    target: Target,
    fallback: HttpTarget,
  ): Promise<void> {
    const dispatcher = this.dispatchers[target.type] as TargetDispatcher;
    try {
      await this.breakers.fire(req, res, target, dispatcher);
    } catch (error) {
      if (error instanceof UpstreamErrorAnswer) return;
      if (error instanceof UpstreamFailure) this.failOver(req, res, route, target, fallback, error, 'failed');
      else if (CircuitBreaker.isOurError(error as Error)) {
        this.failOver(
          req,
          res,
          route,
          target,
          fallback,
          new UpstreamFailure(503, `the circuit breaker of ${target.name} is open`, false),
          'open',
        );
      } else {
        const failure = new UpstreamFailure(502, `${target.name} failed`, true, (error as Error).message);
        this.failOver(req, res, route, target, fallback, failure, 'failed');
      }
    }
  }

  private failOver(
    req: IncomingMessage,
    res: ServerResponse,
    route: Route,
    target: Target,
    fallback: HttpTarget,
    failure: UpstreamFailure,
    reason: FallbackReason,
  ): void {
    const method = req.method as string;
    const canary = (res as TrackedResponse)[CANARY];
    if (canary) canary.failed = true;
    const log = {
      requestId: req.headers[REQUEST_ID_HEADER],
      route: route.name,
      target: target.name,
      reason,
      err: failure.detail ?? failure.message,
    };
    if (SAFE_METHODS.has(method)) {
      this.metrics.fallback(route.name, target.name, reason);
      this.logger.warn(log, `${method} falls back to ${fallback.name}`);
      res.setHeader(SERVED_BY_HEADER, fallback.name);
      res.setHeader(FALLBACK_HEADER, target.name);
      (res as TrackedResponse)[EXCHANGE] = this.metrics.exchange(route.name, fallback.name);
      this.http.forward(req, res, fallback);
      return;
    }
    this.logger.warn(log, `${method} refused: its target failed`);
    if (failure.delivered) writeFailure(res, failure.status, `${failure.message}; the ${method} may have been applied`);
    else writeFailure(res, 503, `${failure.message}; the ${method} was not applied, retry later`);
  }
}
