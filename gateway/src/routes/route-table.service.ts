import { FSWatcher, watch } from 'node:fs';
import { join, parse as parsePath } from 'node:path';
import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigError } from '@app/config';
import { AppLogger, LOGGER } from '@app/observability';
import { ConflictError, InvalidInputError, NotFoundError } from '@app/platform';
import { GatewayConfig, routeVariables } from '../gateway.config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { AuditEntry, AuditLog, AuditPrincipal } from './audit-log';
import { CutoverClient, CutoverRefusedError } from './cutover-client';
import type { PromotionSettings, StickyKey } from './delivery-settings';
import { RouteGates } from './route-gates';
import {
  Route,
  RouteMatch,
  RouteMode,
  RouteState,
  RouteTable,
  RouteTableError,
  TargetType,
  parseRouteTable,
} from './route-table';
import { RoutesFile } from './routes-file';
import { RouteChange, changesNothing } from './transitions';

/** Who the audit log names for an edit of the file itself. */
const FILE_AUTHOR = 'file';
/** Who the audit log names for the changes the gateway's verdicts make. */
export const GATEWAY_AUTHOR = 'gateway';

/** Editors save in bursts (truncate, write, rename); one reload per burst. */
const RELOAD_DEBOUNCE_MS = 50;

export interface RouteView {
  name: string;
  match: readonly RouteMatch[];
  state: RouteState;
  mode: RouteMode;
  /** The baseline: the target that answers clients (a canary's other side). */
  target: string;
  candidate: string | null;
  /** Percent of safe requests to the candidate; 0 outside canary. */
  weight: number;
  sticky: StickyKey | null;
  promotion: PromotionSettings | null;
  /** The target the route had before its current one, when the history knows it. */
  previous: string | null;
}

export interface RouteTableView {
  file: string;
  default: string;
  targets: { name: string; type: TargetType; url?: string }[];
  routes: RouteView[];
  lastReload: ReloadOutcome;
}

export interface ReloadOutcome {
  at: string;
  ok: boolean;
  error?: string;
}

/**
 * Holds the live route table. routes.yaml is the source of truth: edits on
 * disk are picked up by a watcher, and admin changes are written to the file
 * first. A table that fails validation is rejected and the last good one stays.
 */
@Injectable()
export class RouteTableService implements OnModuleInit, OnModuleDestroy {
  /** Read on every request: swapped whole, never mutated. */
  table: RouteTable;

  private readonly file: RoutesFile;
  private readonly audit: AuditLog;
  private readonly variables: Record<string, string>;
  private readonly cutoverTimeoutMs: number;
  private liveText = '';
  private outcome: ReloadOutcome;
  private watcher?: FSWatcher;
  private debounce?: NodeJS.Timeout;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
    private readonly gates: RouteGates,
    private readonly cutover: CutoverClient,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {
    this.cutoverTimeoutMs = config.CUTOVER_TIMEOUT_MS;
    this.file = new RoutesFile(config.ROUTES_FILE);
    const { dir, name } = parsePath(config.ROUTES_FILE);
    this.audit = new AuditLog(join(dir, `${name}.audit.jsonl`));
    this.variables = routeVariables(config);
  }

  async onModuleInit(): Promise<void> {
    let text: string;
    try {
      text = await this.file.read();
      this.table = parseRouteTable(text, this.variables);
    } catch (error) {
      throw new ConfigError(`ROUTES_FILE ${this.file.path} cannot be used: ${(error as Error).message}`);
    }
    this.liveText = text;
    this.outcome = { at: new Date().toISOString(), ok: true };
    this.metrics.reload('ok');
    await this.audit.load();
    this.watcher = watch(this.file.dir, (_event, name) => {
      // Kubernetes swaps a mounted ConfigMap by replacing its `..data` link, not the file.
      if (name && name !== this.file.name && name !== '..data') return;
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.reload(), RELOAD_DEBOUNCE_MS);
    });
    this.watcher.on('error', (error) => {
      this.logger.error(
        { dir: this.file.dir, err: error.message },
        'watching the routes folder failed; edits are no longer picked up',
      );
    });
  }

  onModuleDestroy(): void {
    clearTimeout(this.debounce);
    this.watcher?.close();
  }

  /** Re-reads the file; a table that does not validate is logged and the live one kept. */
  reload(): Promise<void> {
    return this.serialize(async () => {
      try {
        await this.adopt(await this.file.read());
      } catch (error) {
        const message = (error as Error).message;
        this.outcome = { at: new Date().toISOString(), ok: false, error: message };
        this.metrics.reload('failed');
        this.logger.error(
          { file: this.file.path, err: message },
          'routes file rejected; the last good table stays live',
        );
      }
    });
  }

  describe(): RouteTableView {
    const { table } = this;
    return {
      file: this.file.path,
      default: table.defaultTarget.name,
      targets: [...table.targets.values()].map((t) =>
        t.type === 'http' ? { name: t.name, type: t.type, url: t.url } : t,
      ),
      routes: table.routes.map((route) => this.view(route)),
      lastReload: this.outcome,
    };
  }

  /** How the last load of the file went. */
  get lastReload(): ReloadOutcome {
    return this.outcome;
  }

  describeRoute(name: string): RouteView {
    return this.view(this.existing(this.table, name));
  }

  recentChanges(limit: number): AuditEntry[] {
    return this.audit.recent(limit);
  }

  /**
   * Applies one transition to route `name`: `plan` checks it against the
   * live route and table (throwing a 400/409 that says why) and returns the
   * change; the file is written, the table goes live, and the audit log
   * records who, when and why. Resolves with the route as it then is.
   */
  async transition(
    name: string,
    who: string,
    why: string | null,
    plan: (route: Route, table: RouteTable) => RouteChange,
  ): Promise<RouteView> {
    await this.update(who, why, (table) => [plan(this.existing(table, name), table)]);
    return this.describeRoute(name);
  }

  /** Every route back to the default target. */
  async reset(who: string, why: string | null = null): Promise<RouteTableView> {
    await this.update(who, why, (table) =>
      table.routes.map((route) => ({ route: route.name, target: table.defaultTarget.name, mode: 'live' as const })),
    );
    return this.describe();
  }

  /** Applies the planned changes to the file on disk, then to the live table. */
  private update(who: string, why: string | null, plan: (table: RouteTable) => RouteChange[]): Promise<void> {
    return this.serialize(async () => {
      const text = await this.file.read();
      let current: RouteTable;
      try {
        current = await this.adopt(text);
      } catch (error) {
        if (!(error instanceof RouteTableError)) throw error;
        throw new ConflictError(`routes file has errors, fix or revert it first: ${error.message}`);
      }
      const changes = plan(current).filter((change) => !changesNothing(current.route(change.route), change));
      if (changes.length === 0) return;
      const next = RoutesFile.edit(text, changes);
      let table: RouteTable;
      try {
        table = parseRouteTable(next, this.variables);
      } catch (error) {
        if (!(error instanceof RouteTableError)) throw error;
        throw new InvalidInputError(`the change would make routes.yaml invalid: ${error.message}`);
      }
      await this.file.write(next);
      try {
        await this.apply(table, next, who, why);
      } catch (error) {
        // The file stays the source of truth: it goes back to the table that stays live.
        await this.file.write(text);
        throw error;
      }
    });
  }

  /** Makes `text` the live table unless it already is; a file edit is audited as made by "file". */
  private async adopt(text: string): Promise<RouteTable> {
    if (text === this.liveText) return this.table;
    const table = parseRouteTable(text, this.variables);
    await this.apply(table, text, FILE_AUTHOR, null);
    return table;
  }

  private async apply(table: RouteTable, text: string, who: string, why: string | null): Promise<void> {
    const changes = auditEntries(this.table, table, who, why);
    await this.cutOver(this.table, table);
    this.liveText = text;
    this.outcome = { at: new Date().toISOString(), ok: true };
    this.metrics.reload('ok');
    this.logger.info(
      { who, why, changes: changes.map(({ route, from, to, state }) => ({ route, from, to, state })) },
      'route table applied',
    );
    await this.audit.append(changes);
  }

  /**
   * Makes `next` live. Write routes that change owner are consistent
   * cutovers: their new requests wait while those in flight finish and the
   * relay confirms each new owner has applied every write accepted so far;
   * then the new table goes live and the waiting requests go to the new
   * owners. If that is not confirmed in time, the old table stays live and a
   * CutoverRefusedError says why.
   */
  private async cutOver(current: RouteTable, next: RouteTable): Promise<void> {
    const moving = next.routes.filter((route) => {
      const before = current.route(route.name);
      return before !== undefined && before.target.name !== route.target.name && (route.writes || before.writes);
    });
    if (moving.length === 0 || !this.cutover.enabled) {
      this.table = next;
      return;
    }
    const names = moving.map((route) => route.name);
    const deadline = Date.now() + this.cutoverTimeoutMs;
    const open = this.gates.close(names);
    try {
      if (!(await this.gates.idle(names, deadline))) {
        throw new CutoverRefusedError(
          504,
          `route ${names.join(', ')} was not moved: requests to the old owner were still running after ${this.cutoverTimeoutMs} ms; try again`,
        );
      }
      await Promise.all(
        moving.map((route) =>
          this.cutover.awaitCaughtUp(route.name, route.target.name, Math.max(1, deadline - Date.now())),
        ),
      );
      this.table = next;
    } finally {
      open();
    }
  }

  private existing(table: RouteTable, name: string): Route {
    const route = table.route(name);
    if (!route) throw new NotFoundError(`route ${name} is not in routes.yaml`);
    return route;
  }

  private view(route: Route): RouteView {
    return {
      name: route.name,
      match: route.match,
      state: route.state,
      mode: route.mode,
      target: route.target.name,
      candidate: route.candidate?.name ?? null,
      weight: route.delivery.weight,
      sticky: route.delivery.sticky ?? null,
      promotion: route.delivery.promotion ?? null,
      previous: this.audit.previousTarget(route.name, route.target.name) ?? null,
    };
  }

  /** One change at a time, so a file reload and an admin write never interleave. */
  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function principalOf(who: string): AuditPrincipal {
  // "file" and "gateway" cannot be claimed through the admin API, so they alone mark those changes.
  if (who === FILE_AUTHOR) return 'file';
  return who === GATEWAY_AUTHOR ? 'gateway' : 'admin-token';
}

function sameDelivery(before: Route | undefined, after: Route): boolean {
  return (
    before !== undefined &&
    before.target.name === after.target.name &&
    before.mode === after.mode &&
    before.candidate?.name === after.candidate?.name &&
    before.delivery.weight === after.delivery.weight
  );
}

function auditEntries(before: RouteTable, after: RouteTable, who: string, why: string | null): AuditEntry[] {
  const at = new Date().toISOString();
  const principal = principalOf(who);
  const entries: AuditEntry[] = [];
  for (const route of after.routes) {
    const old = before.route(route.name);
    if (!sameDelivery(old, route)) {
      entries.push({
        at,
        who,
        principal,
        route: route.name,
        from: old?.target.name ?? null,
        to: route.target.name,
        mode: route.mode,
        state: route.state,
        candidate: route.candidate?.name ?? null,
        weight: route.delivery.weight,
        why,
      });
    }
  }
  for (const route of before.routes) {
    if (!after.route(route.name)) {
      entries.push({
        at,
        who,
        principal,
        route: route.name,
        from: route.target.name,
        to: null,
        mode: null,
        state: null,
        candidate: null,
        weight: 0,
        why,
      });
    }
  }
  return entries;
}
