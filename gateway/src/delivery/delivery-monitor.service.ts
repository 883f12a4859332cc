import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppLogger, LOGGER } from '@app/observability';
import { ConflictError, DomainError } from '@app/platform';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import type { PromotionSettings, VerdictSettings } from '../routes/delivery-settings';
import type { Route, RouteState } from '../routes/route-table';
import { GATEWAY_AUTHOR, RouteTableService } from '../routes/route-table.service';
import { RouteChange, promote, promotionSteps, rollBack } from '../routes/transitions';
import { ShadowReport, ShadowStats } from './shadow-stats';
import { SideWindow, Verdict, WindowFigures, judge } from './verdict-window';

/** How often canaries with promotion steps are looked at. */
const PROMOTION_TICK_MS = 200;

export type CanarySide = 'baseline' | 'candidate';

/** What the gateway watches of one route while a candidate runs beside its target. */
export class RouteWatch {
  readonly baseline: SideWindow;
  readonly candidate: SideWindow;
  readonly shadow = new ShadowStats();
  /** Shadow requests of the route in flight. */
  shadowsInFlight = 0;
  lastVerdict: (Verdict & { at: string }) | null = null;
  /** Set once a rollback has been asked for, so a burst of failures asks once. */
  rollingBack = false;
  /** The route (as then live) whose breach asked for the rollback: a later route with a candidate starts afresh. */
  breachedRoute?: Route;
  /** The weight of the current step, when it began, and the candidate's request count then. */
  stepWeight: number;
  stepSince = Date.now();
  stepStartTotal = 0;

  constructor(
    readonly identity: string,
    readonly verdict: VerdictSettings,
    weight: number,
  ) {
    this.baseline = new SideWindow(verdict.windowRequests);
    this.candidate = new SideWindow(verdict.windowRequests);
    this.stepWeight = weight;
  }
}

export interface RouteReport {
  name: string;
  state: RouteState;
  target: string;
  candidate: string | null;
  weight: number;
  /** `monolith` is the baseline side: the route's target. */
  window: { monolith: WindowFigures; candidate: WindowFigures };
  thresholds: VerdictSettings;
  shadow: ShadowReport;
  promotion: (PromotionSettings & { step: number; since: string; nextAt: string | null }) | null;
  lastVerdict: (Verdict & { at: string }) | null;
}

function identityOf(route: Route): string {
  return `${route.target.name}>${route.candidate?.name ?? ''}`;
}

/**
 * Per-route sliding windows of the baseline and the candidate, the shadow's
 * comparisons, and the decisions they lead to: a breach rolls the route
 * back at once; a canary with promotion steps moves up a step once it has
 * held one for its dwell time with enough requests and no breach. Both go
 * through routes.yaml and the audit log as the gateway's own changes.
 */
@Injectable()
export class DeliveryMonitor implements OnModuleInit, OnModuleDestroy {
  private readonly watches = new Map<string, RouteWatch>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly routes: RouteTableService,
    private readonly metrics: GatewayMetrics,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.promoteDue(), PROMOTION_TICK_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** The route's watch; a new candidate (or target) starts a fresh one, a route back on its own keeps the last. */
  watchOf(route: Route): RouteWatch {
    let watch = this.watches.get(route.name);
    const fresh =
      !watch ||
      watch.identity !== identityOf(route) ||
      (watch.breachedRoute !== undefined && watch.breachedRoute !== route);
    if (route.candidate && fresh) {
      watch = new RouteWatch(identityOf(route), route.delivery.verdict, route.delivery.weight);
      this.watches.set(route.name, watch);
      this.metrics.routeWeight(route.name, route.delivery.weight);
    } else if (!watch) {
      watch = new RouteWatch(identityOf(route), route.delivery.verdict, 0);
      this.watches.set(route.name, watch);
    }
    if (route.mode === 'canary' && watch.stepWeight !== route.delivery.weight) {
      watch.stepWeight = route.delivery.weight;
      watch.stepSince = Date.now();
      watch.stepStartTotal = watch.candidate.total;
      this.metrics.routeWeight(route.name, route.delivery.weight);
    }
    return watch;
  }

  /** One finished canary request; a candidate's is judged at once. */
  recordCanary(route: Route, watch: RouteWatch, side: CanarySide, failed: boolean, ms: number): void {
    if (side === 'baseline') {
      watch.baseline.record(failed, ms);
      return;
    }
    watch.candidate.record(failed, ms);
    if (watch.rollingBack) return;
    const verdict = judge(watch.baseline.figures(), watch.candidate.figures(), watch.verdict);
    watch.lastVerdict = { ...verdict, at: new Date().toISOString() };
    if (verdict.verdict === 'rollback') void this.rollBack(route, watch, verdict);
  }

  report(name: string): RouteReport {
    const view = this.routes.describeRoute(name);
    const route = this.routes.table.route(name) as Route;
    const watch = this.watchOf(route);
    const promotion = route.delivery.promotion;
    const stepIndex = promotionSteps(route).indexOf(route.delivery.weight);
    return {
      name,
      state: view.state,
      target: view.target,
      candidate: view.candidate,
      weight: view.weight,
      window: { monolith: watch.baseline.figures(), candidate: watch.candidate.figures() },
      thresholds: route.delivery.verdict,
      shadow: watch.shadow.report(),
      promotion: promotion
        ? {
            ...promotion,
            step: stepIndex,
            since: new Date(watch.stepSince).toISOString(),
            nextAt: route.mode === 'canary' ? new Date(watch.stepSince + promotion.dwellMs).toISOString() : null,
          }
        : null,
      lastVerdict: watch.lastVerdict,
    };
  }

  private async rollBack(route: Route, watch: RouteWatch, verdict: Verdict): Promise<void> {
    watch.rollingBack = true;
    watch.breachedRoute = route;
    const candidate = route.candidate?.name;
    this.logger.warn({ route: route.name, candidate, reason: verdict.reason }, 'canary breached: rolling back');
    const done = await this.changeOwn(route, `rollback: ${verdict.reason}`, (current, table) =>
      rollBack(current, table),
    );
    if (done) this.metrics.rollback(route.name, verdict.cause ?? 'error_rate');
    else {
      watch.rollingBack = false;
      watch.breachedRoute = undefined;
    }
  }

  private promoteDue(): void {
    const now = Date.now();
    for (const route of this.routes.table.routes) {
      const promotion = route.delivery.promotion;
      if (route.mode !== 'canary' || !promotion) continue;
      const watch = this.watchOf(route);
      if (watch.rollingBack || now - watch.stepSince < promotion.dwellMs) continue;
      const stepRequests = watch.candidate.total - watch.stepStartTotal;
      if (stepRequests < watch.verdict.minRequests || watch.lastVerdict?.verdict !== 'healthy') continue;
      watch.stepSince = now;
      const why = `promotion: ${route.delivery.weight}% held ${promotion.dwellMs} ms over ${stepRequests} candidate requests without a breach`;
      void this.changeOwn(route, why, (current) => promote(current)).then((done) => {
        if (done) this.metrics.promotion(route.name);
      });
    }
  }

  /**
   * A change the gateway makes itself, applied only if the route still has
   * the candidate the decision was about. False when it was not applied.
   */
  private async changeOwn(
    route: Route,
    why: string,
    plan: Parameters<RouteTableService['transition']>[3],
  ): Promise<boolean> {
    const identity = identityOf(route);
    try {
      await this.routes.transition(route.name, GATEWAY_AUTHOR, why, (current, table): RouteChange => {
        if (identityOf(current) !== identity || current.mode !== route.mode) {
          throw new ConflictError(`route ${route.name} changed meanwhile`);
        }
        return plan(current, table);
      });
      return true;
    } catch (error) {
      const level = error instanceof DomainError ? 'info' : 'error';
      this.logger[level](
        { route: route.name, why, err: (error as Error).message },
        'the gateway did not change the route',
      );
      return false;
    }
  }
}
