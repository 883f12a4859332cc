import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack, StackProcessName } from '../../scripts/lib/stack';
import { eventually } from '@app/platform';
import { ROOT } from './paths';

export type { Stack, StackProcessName };

const stackScript = require(join(ROOT, 'scripts', 'lib', 'stack.js')) as typeof import('../../scripts/lib/stack');
const storeScript = require(join(ROOT, 'scripts', 'lib', 'store.js')) as typeof import('../../scripts/lib/store');

/**
 * The store the stack will use (resolved as `npm start` does, nothing
 * started) and the data size it handles well: 10 000 posts on MongoDB, 1 000
 * on FerretDB.
 */
export function plannedStore(): { kind: string; defaultPosts: number } {
  const { kind } = storeScript.resolveStore();
  if (!kind) throw new Error(storeScript.HOW_TO_GET_A_STORE);
  return { kind, defaultPosts: storeScript.defaultSeedPosts(kind) };
}

/** The admin token of the load-test gateway: it only ever listens on loopback for the run. */
export const ADMIN_TOKEN = 'loadtest-admin-token';
const HEALTH_TIMEOUT_MS = 15 * 60_000;

/** Extracted services whose build is in dist/ (a service still being written has none yet). */
export function builtServices(): string[] {
  return stackScript.SERVICES.filter((name) => existsSync(stackScript.entryOf(name)));
}

export interface LoadtestStackOptions {
  dataDir: string;
  services: string[];
  gateway: boolean;
  beforeApps?: (mongoUrl: string) => Promise<void>;
  /** More settings for every process. */
  env?: Record<string, string>;
  log: (message: string) => void;
}

/**
 * The whole product from dist/, on free loopback ports, quiet logs, and a
 * private copy of the route table that the run may flip without touching
 * gateway/routes.yaml.
 */
export function startLoadtestStack(options: LoadtestStackOptions): Promise<Stack> {
  const routesFile = join(options.dataDir, 'routes.yaml');
  if (options.gateway) copyFileSync(join(ROOT, 'gateway', 'routes.yaml'), routesFile);
  return stackScript.startStack({
    dataDir: options.dataDir,
    randomPorts: true,
    services: options.services,
    // At 100 000 posts a service spends minutes rebuilding its read model from the store before it answers.
    healthTimeoutMs: HEALTH_TIMEOUT_MS,
    sync: true,
    gateway: options.gateway,
    env: {
      LOG_LEVEL: 'warn',
      GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
      ROUTES_FILE: routesFile,
      ...options.env,
    },
    beforeApps: options.beforeApps,
    log: options.log,
  });
}

/** Every process of the stack that can use CPU, with its pid (the store's too, unless it is external). */
export function stackPids(stack: Stack, services: readonly string[]): { process: string; pid?: number }[] {
  const names: StackProcessName[] = ['gateway', 'monolith', ...(services as StackProcessName[]), 'sync'];
  return [
    ...names.map((name) => ({ process: name, pid: stack.process(name)?.child.pid })),
    { process: 'store', pid: stack.store.child?.pid },
  ];
}

/** The admin API said no: the status tells whether it was a refusal (503, 504) or a mistake. */
export class AdminError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function admin(stack: Stack, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${stack.url('gateway')}/_gateway${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.env.GATEWAY_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new AdminError(`${method} /_gateway${path} answered ${res.status}: ${text}`, res.status);
  return JSON.parse(text);
}

/** Points a gateway route at a target through the admin API; resolves with the time it took, in ms. */
export async function setRoute(stack: Stack, route: string, target: string): Promise<number> {
  const started = performance.now();
  await admin(stack, 'PUT', `/routes/${route}`, { target, mode: 'live' });
  return performance.now() - started;
}

/** Every route back to the monolith. */
export async function resetRoutes(stack: Stack): Promise<void> {
  await admin(stack, 'POST', '/routes/reset');
}

/** route name -> target, as the gateway serves them now. */
export async function currentRoutes(stack: Stack): Promise<Record<string, string>> {
  const view = (await admin(stack, 'GET', '/routes')) as { routes: { name: string; target: string }[] };
  return Object.fromEntries(view.routes.map((route) => [route.name, route.target]));
}

interface RelayHealth {
  position: number;
  /** Outbox entries the relay's last pass left: writes not in the log yet. */
  pending: number;
  checkpoints: Record<string, number>;
}

/**
 * Waits until the relay has drained every outbox, delivered every event to
 * every consumer and its log stopped growing, so a stage's writes are not
 * relayed on the next stage's time. Reports the lag every few seconds;
 * resolves with the events still undelivered when it gave up.
 */
export async function waitForRelay(
  stack: Stack,
  consumers: readonly string[],
  timeoutMs: number,
  onWait: (lag: number) => void,
): Promise<number> {
  let previous = -1;
  let lag = Number.POSITIVE_INFINITY;
  let poll = 0;
  const settled = async (): Promise<boolean> => {
    const res = await fetch(`${stack.url('sync')}/health`, { signal: AbortSignal.timeout(10_000) }).catch(
      () => undefined,
    );
    if (!res?.ok) return false;
    const health = (await res.json()) as RelayHealth;
    lag = Math.max(0, ...consumers.map((name) => health.position - (health.checkpoints[name] ?? 0)));
    const still = lag === 0 && health.pending === 0 && health.position === previous;
    previous = health.position;
    if (lag > 0 && poll++ % 5 === 0) onWait(lag);
    return still;
  };
  return (await eventually(settled, (done) => done, timeoutMs, 1000)) ? 0 : lag;
}
