import { FSWatcher, watch } from 'node:fs';
import { join, parse as parsePath } from 'node:path';
import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigError } from '@app/config';
import { AppLogger, LOGGER } from '@app/observability';
import { ConflictError, InvalidInputError, NotFoundError } from '@app/platform';
import { GatewayConfig, routeVariables } from '../gateway.config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { AuditEntry, AuditLog } from './audit-log';
import { CutoverClient, CutoverRefusedError } from './cutover-client';
import { RouteGates } from './route-gates';
import { Route, RouteMatch, RouteMode, RouteTable, RouteTableError, TargetType, parseRouteTable } from './route-table';
import { RouteChange, RoutesFile } from './routes-file';

/** Who the audit log names for an edit of the file itself. */
const FILE_AUTHOR = 'file';

/** Editors save in bursts (truncate, write, rename); one reload per burst. */
const RELOAD_DEBOUNCE_MS = 50;

export interface RouteView {
  name: string;
  match: readonly RouteMatch[];
  target: string;
  mode: RouteMode;
  /** Where `rollback` would send the route. */
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

  async set(name: string, target: string, mode: RouteMode, who: string): Promise<RouteView> {
    await this.update(who, (table) => {
      this.existing(table, name);
      if (!table.targets.has(target)) {
        throw new InvalidInputError(
          `target "${target}" is not declared in routes.yaml (declared: ${[...table.targets.keys()].join(', ')})`,
        );
      }
      return [{ route: name, target, mode }];
    });
    return this.describeRoute(name);
  }

  async rollback(name: string, who: string): Promise<RouteView> {
    await this.update(who, (table) => {
      const route = this.existing(table, name);
      const previous = this.audit.previousTarget(name, route.target.name);
      if (!previous) throw new ConflictError(`route ${name} has no previous target to roll back to`);
      if (!table.targets.has(previous)) {
        throw new ConflictError(`route ${name}'s previous target ${previous} is no longer declared`);
      }
      return [{ route: name, target: previous, mode: 'live' }];
    });
    return this.describeRoute(name);
  }

  /** Every route back to the default target. */
  async reset(who: string): Promise<RouteTableView> {
    await this.update(who, (table) =>
      table.routes.map((route) => ({ route: route.name, target: table.defaultTarget.name, mode: 'live' as const })),
    );
    return this.describe();
  }

  /** Applies the planned changes to the file on disk, then to the live table. */
  private update(who: string, plan: (table: RouteTable) => RouteChange[]): Promise<void> {
    return this.serialize(async () => {
      const text = await this.file.read();
      let current: RouteTable;
      try {
        current = await this.adopt(text);
      } catch (error) {
        if (!(error instanceof RouteTableError)) throw error;
        throw new ConflictError(`routes file has errors, fix or revert it first: ${error.message}`);
      }
      const changes = plan(current).filter(({ route, target, mode }) => {
        const live = current.route(route);
        return live?.target.name !== target || live.mode !== mode;
      });
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
        await this.apply(table, next, who);
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
    await this.apply(table, text, FILE_AUTHOR);
    return table;
  }

  private async apply(table: RouteTable, text: string, who: string): Promise<void> {
    const changes = auditEntries(this.table, table, who);
    await this.cutOver(this.table, table);
    this.liveText = text;
    this.outcome = { at: new Date().toISOString(), ok: true };
    this.metrics.reload('ok');
    this.logger.info(
      { who, changes: changes.map(({ route, from, to }) => ({ route, from, to })) },
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
      target: route.target.name,
      mode: route.mode,
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

function auditEntries(before: RouteTable, after: RouteTable, who: string): AuditEntry[] {
  const at = new Date().toISOString();
  // "file" cannot be claimed through the admin API, so it alone marks an edit of the file.
  const principal = who === FILE_AUTHOR ? 'file' : 'admin-token';
  const entries: AuditEntry[] = [];
  for (const route of after.routes) {
    const old = before.route(route.name);
    if (old?.target.name !== route.target.name || old.mode !== route.mode) {
      entries.push({
        at,
        who,
        principal,
        route: route.name,
        from: old?.target.name ?? null,
        to: route.target.name,
        mode: route.mode,
      });
    }
  }
  for (const route of before.routes) {
    if (!after.route(route.name)) {
      entries.push({ at, who, principal, route: route.name, from: route.target.name, to: null, mode: null });
    }
  }
  return entries;
}
