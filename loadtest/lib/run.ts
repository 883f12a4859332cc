import { eventually } from '@app/platform';
import { Random } from '../../datasets/src/generator/random';
import { cpuMicros } from './cpu';
import { describeEnvironment } from './environment';
import { RouteFlipper } from './flip';
import { driveLoad, LoadWindow, ResponseObserver } from './measure';
import type { Progress } from './progress';
import type {
  EndpointResult,
  IdleCpu,
  LoadtestResult,
  ParityCheck,
  ProcessCpu,
  Settings,
  Stage,
  StageResult,
} from './result';
import { RESULT_FORMAT } from './result';
import { EndpointSpec, ROUTE_SERVICES, SCENARIOS, Workload } from './scenarios';
import { currentRoutes, resetRoutes, setRoute, Stack, stackPids, waitForRelay } from './stack';

export interface RunContext {
  stack: Stack;
  /** Extracted services running in the stack. */
  services: string[];
  workload: Workload;
  progress: Progress;
  /** What the after stage must say about the services' data (see ensureSeededData). */
  dataNotes?: string[];
}

/** Every stage sends the same sequence of requests. */
const SEED = 42;
/** Writes of one stage are relayed before the next one starts, within this bound. */
const SETTLE_TIMEOUT_MS = 60_000;
const PARITY_TIMEOUT_MS = 30_000;
const IDLE_SAMPLE_MS = 2_000;
/** The store counts as quiet again within this many cores of its idle load. */
const QUIET_MARGIN_CORES = 0.15;
const QUIET_TIMEOUT_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const MONOLITH = 'monolith';

function fanOut(observers: ResponseObserver[]): ResponseObserver {
  return {
    response: (endpoint, status, servedBy, fallback) =>
      observers.forEach((o) => o.response(endpoint, status, servedBy, fallback)),
    error: (endpoint) => observers.forEach((o) => o.error(endpoint)),
  };
}

/** JSON with sorted keys, so two equal answers compare equal whatever order their fields came in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))
      : item,
  );
}

async function answer(url: string): Promise<{ status: number; body: string; servedBy: string; fallback: boolean }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(PARITY_TIMEOUT_MS) });
  const text = await res.text();
  let body = text;
  try {
    body = canonical(JSON.parse(text));
  } catch {
    // Not JSON: compared as text.
  }
  return {
    status: res.status,
    body,
    servedBy: res.headers.get('x-served-by') ?? '-',
    fallback: res.headers.has('x-fallback'),
  };
}

/** The same request to the monolith and through the gateway to the service now serving its route. */
async function compareAnswers(path: string, context: RunContext): Promise<Omit<ParityCheck, 'endpoint' | 'request'>> {
  const direct = await answer(`${context.stack.url('monolith')}${path}`);
  const served = await answer(`${context.stack.url('gateway')}${path}`);
  const same = direct.status === served.status && direct.body === served.body;
  if (served.fallback) return { same: false, fallback: true, detail: `served by ${served.servedBy} as a fallback` };
  if (same) return { same, fallback: false, detail: `served by ${served.servedBy}` };
  return {
    same,
    fallback: false,
    detail: `monolith ${direct.status}, ${served.servedBy} ${served.status}: the bodies differ`,
  };
}

/** One request per moved endpoint, answered by the monolith and by the service: are they the same? */
async function checkParity(
  endpoints: readonly EndpointSpec[],
  routes: Record<string, string>,
  context: RunContext,
): Promise<ParityCheck[]> {
  const checks: ParityCheck[] = [];
  // After one request found no answer, the others would wait just as long for nothing.
  let skipped: string | undefined;
  for (const spec of endpoints) {
    if (spec.method !== 'GET' || !spec.route || routes[spec.route] === MONOLITH) continue;
    const { path } = spec.build(new Random(SEED), context.workload);
    const outcome = skipped
      ? { same: false, fallback: false, detail: `not compared: ${skipped}` }
      : await compareAnswers(path, context).catch((error: Error) => {
          skipped = error.name === 'TimeoutError' ? `no answer within ${PARITY_TIMEOUT_MS / 1000} s` : error.message;
          return { same: false, fallback: false, detail: `not compared: ${skipped}` };
        });
    checks.push({ endpoint: spec.name, request: `GET ${path}`, ...outcome });
  }
  return checks;
}

/** Points the routes where the stage wants them; notes every route that could not move. */
async function routeStage(stage: Stage, context: RunContext, notes: string[]): Promise<void> {
  await resetRoutes(context.stack);
  if (stage !== 'after') return;
  for (const [route, service] of Object.entries(ROUTE_SERVICES)) {
    if (context.services.includes(service)) await setRoute(context.stack, route, service);
    else notes.push(`route ${route} stayed on the monolith: the ${service} service is not built`);
  }
}

function cpuTable(
  pids: { process: string; pid?: number }[],
  before: (number | undefined)[],
  clientCpu: NodeJS.CpuUsage,
  windowSeconds: number,
  requests: number,
): ProcessCpu[] {
  const row = (process: string, pid: number | undefined, micros: number | undefined): ProcessCpu =>
    micros === undefined
      ? { process, pid }
      : {
          process,
          pid,
          cpuMicros: micros,
          ...(requests > 0 ? { perRequestMicros: micros / requests } : {}),
          cores: micros / (windowSeconds * 1e6),
        };
  return [
    ...pids.map(({ process, pid }, index) => {
      const after = pid === undefined ? undefined : cpuMicros(pid);
      const start = before[index];
      return row(process, pid, after === undefined || start === undefined ? undefined : after - start);
    }),
    row('client', process.pid, clientCpu.user + clientCpu.system),
  ];
}

function stageNotes(
  stage: Stage,
  endpoints: EndpointResult[],
  routes: Record<string, string>,
  parity: ParityCheck[] | undefined,
): string[] {
  if (stage === 'direct') return [];
  const notes: string[] = [];
  for (const endpoint of endpoints) {
    const target = endpoint.route ? routes[endpoint.route] : MONOLITH;
    if (target !== MONOLITH && endpoint.fallbacks > 0) {
      notes.push(
        `${endpoint.name}: ${endpoint.fallbacks} of ${endpoint.requests} responses were fallbacks from the monolith (x-fallback), not answers of ${target}`,
      );
    }
  }
  // A fallback is noted above already; a service answer that differs from the monolith's is news.
  for (const check of parity ?? []) {
    if (!check.same && !check.fallback) notes.push(`${check.endpoint}: ${check.detail} (${check.request})`);
  }
  return notes;
}

interface FlipPlan {
  route: string;
  everySeconds: number;
  targets: [string, string];
}

/** A flip starts where the stage has the route: on the monolith before, on its service after. */
function flipPlan(stage: Stage, flip: Settings['flip']): FlipPlan | undefined {
  if (!flip) return undefined;
  const service = ROUTE_SERVICES[flip.route];
  return { ...flip, targets: stage === 'after' ? [service, MONOLITH] : [MONOLITH, service] };
}

function totalsOf(endpoints: readonly EndpointResult[]): StageResult['totals'] {
  const sum = (of: (e: EndpointResult) => number) => endpoints.reduce((total, e) => total + of(e), 0);
  return {
    requests: sum((e) => e.requests),
    rps: sum((e) => e.rps),
    non2xx: sum((e) => e.non2xx),
    errors: sum((e) => e.errors),
    timeouts: sum((e) => e.timeouts),
    fallbacks: sum((e) => e.fallbacks),
  };
}

/** The measured window: load on every endpoint (and the flips), with every process's CPU read around it. */
async function measure(stage: Stage, window: LoadWindow, context: RunContext, flip: FlipPlan | undefined) {
  const pids = stackPids(context.stack, context.services);
  const live = context.progress.live(stage, window.durationSeconds);
  const routeEndpoints = new Set(
    window.endpoints.filter((spec) => spec.route === flip?.route).map((spec) => spec.name),
  );
  const flipper = flip && new RouteFlipper(context.stack, flip.route, flip.targets, flip.everySeconds, routeEndpoints);
  const cpuBefore = pids.map(({ pid }) => (pid === undefined ? undefined : cpuMicros(pid)));
  const clientBefore = process.cpuUsage();
  const startedAt = new Date();
  const windowStart = performance.now();
  let endpoints: EndpointResult[];
  try {
    const load = driveLoad({ ...window, observer: fanOut(flipper ? [live, flipper] : [live]) });
    await Promise.all([load, flipper?.run(load)]);
    endpoints = await load;
  } finally {
    live.stop();
  }
  const windowSeconds = (performance.now() - windowStart) / 1000;
  const clientCpu = process.cpuUsage(clientBefore);
  const totals = totalsOf(endpoints);
  const cpu = cpuTable(pids, cpuBefore, clientCpu, windowSeconds, totals.requests);
  return { startedAt, windowSeconds, endpoints, totals, cpu, flipper };
}

async function runStage(stage: Stage, settings: Settings, context: RunContext): Promise<StageResult> {
  const { stack, progress } = context;
  const endpoints = SCENARIOS[settings.scenario];
  const window = (durationSeconds: number): LoadWindow => ({
    baseUrl: stack.url(stage === 'direct' ? 'monolith' : 'gateway'),
    endpoints,
    workload: context.workload,
    connections: settings.connections,
    durationSeconds,
    maxRequests: settings.maxRequests,
    seed: SEED,
  });

  const notes: string[] = [];
  if (stage !== 'direct') await routeStage(stage, context, notes);
  if (stage === 'after') notes.push(...(context.dataNotes ?? []));
  const flip = flipPlan(stage, settings.flip);
  if (flip) {
    await setRoute(stack, flip.route, flip.targets[0]);
    const service = ROUTE_SERVICES[flip.route];
    if (!context.services.includes(service))
      notes.push(`${service} is not running: its phases show how the gateway handles a route whose target is down`);
  }
  const routes = stage === 'direct' ? {} : await currentRoutes(stack);

  if (settings.warmupSeconds > 0) {
    const live = progress.live(`${stage} warm-up`, settings.warmupSeconds);
    try {
      await driveLoad({ ...window(settings.warmupSeconds), observer: live });
    } finally {
      live.stop();
    }
  }
  const parity = stage === 'after' ? await checkParity(endpoints, routes, context) : undefined;
  const measured = await measure(stage, window(settings.durationSeconds), context, flip);
  if (flip) await setRoute(stack, flip.route, flip.targets[0]);

  const { totals } = measured;
  progress.say(
    `[${stage}] ${totals.requests} requests in ${measured.windowSeconds.toFixed(1)}s: ${totals.rps.toFixed(0)} req/s, ` +
      `non-2xx ${totals.non2xx}, errors ${totals.errors}${totals.fallbacks ? `, fallbacks ${totals.fallbacks}` : ''}`,
  );
  return {
    stage,
    startedAt: measured.startedAt.toISOString(),
    windowSeconds: measured.windowSeconds,
    routes,
    notes: [...notes, ...stageNotes(stage, measured.endpoints, routes, parity)],
    endpoints: measured.endpoints,
    totals,
    cpu: measured.cpu,
    ...(parity ? { parity } : {}),
    ...(measured.flipper
      ? {
          flip: {
            route: measured.flipper.route,
            phases: measured.flipper.phases,
            refused: measured.flipper.refused,
          },
        }
      : {}),
  };
}

/** Waits for the relay to deliver what the last stage wrote; resolves with the events still pending. */
export function settleRelay(stack: Stack, services: readonly string[], progress: Progress): Promise<number> {
  return waitForRelay(stack, [...services, MONOLITH], SETTLE_TIMEOUT_MS, (lag) =>
    progress.say(`[relay] ${lag} events still to deliver to the services`),
  );
}

/** How busy each process is with no load at all: the background every stage's CPU figures include. */
async function sampleIdle(stack: Stack, services: readonly string[]): Promise<IdleCpu[]> {
  const pids = stackPids(stack, services);
  const before = pids.map(({ pid }) => (pid === undefined ? undefined : cpuMicros(pid)));
  await sleep(IDLE_SAMPLE_MS);
  return pids.map(({ process, pid }, index) => {
    const after = pid === undefined ? undefined : cpuMicros(pid);
    const start = before[index];
    return after === undefined || start === undefined
      ? { process }
      : { process, cores: (after - start) / (IDLE_SAMPLE_MS * 1000) };
  });
}

/**
 * Waits until the store is back to its idle load: requests a stage gave up
 * on (timeouts) may still be running in it, and their CPU must not be
 * charged to the next stage. Resolves with the cores still busy beyond idle.
 */
async function waitForQuietStore(stack: Stack, idleCores: number, progress: Progress): Promise<number> {
  const pid = stack.store.child?.pid;
  if (pid === undefined) return 0;
  let sample = 0;
  /** Cores busy beyond idle over one sample; 0 when the store is gone. */
  const extraCores = async (): Promise<number> => {
    const start = cpuMicros(pid);
    await sleep(IDLE_SAMPLE_MS);
    const end = cpuMicros(pid);
    return start === undefined || end === undefined ? 0 : (end - start) / (IDLE_SAMPLE_MS * 1000) - idleCores;
  };
  const quiet = (extra: number): boolean => {
    if (extra <= QUIET_MARGIN_CORES) return true;
    if (sample++ % 5 === 0)
      progress.say(`[settle] the store is still working off the last stage (${extra.toFixed(2)} cores above idle)`);
    return false;
  };
  // The sample itself is the pause between two probes.
  return Math.max(0, await eventually(extraCores, quiet, QUIET_TIMEOUT_MS, 0));
}

/** Runs the stages one after the other on one stack, so every comparison comes from the same run. */
export async function runStages(settings: Settings, context: RunContext, runId: string): Promise<LoadtestResult> {
  const environment = await describeEnvironment(context.stack, context.services);
  const idle = await sampleIdle(context.stack, context.services);
  const idleStore = idle.find((row) => row.process === 'store')?.cores ?? 0;
  const stages: StageResult[] = [];
  for (const stage of settings.stages) {
    const previous = stages.at(-1);
    if (previous) {
      const lag = await settleRelay(context.stack, context.services, context.progress);
      if (lag > 0) previous.notes.push(`the relay still had ${lag} events to deliver when the next stage began`);
      const busy = await waitForQuietStore(context.stack, idleStore, context.progress);
      if (busy > QUIET_MARGIN_CORES) {
        previous.notes.push(
          `the store was still ${busy.toFixed(2)} cores above idle with this stage's work when the next stage began`,
        );
      }
    }
    context.progress.say(`[${stage}] ${stageTitle(stage)}`);
    stages.push(await runStage(stage, settings, context));
  }
  await resetRoutes(context.stack);
  return { format: RESULT_FORMAT, runId, settings, environment, idle, stages };
}

export function stageTitle(stage: Stage): string {
  switch (stage) {
    case 'direct':
      return 'the monolith, without the gateway';
    case 'before':
      return 'every route on the monolith, through the gateway';
    case 'after':
      return 'extracted routes live on their services, through the gateway';
  }
}
