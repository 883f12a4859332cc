/**
 * Three measurements of the extracted services, for the README:
 *
 *  - relay: events per second through the relay on each transport. A fresh
 *    store runs the monolith and every service; `--events` posts are imported
 *    with the relay stopped, then the relay starts on the full outbox and the
 *    clock stops when every service has acknowledged every event. Each run
 *    also measures how many of the same posts per second the store accepts as
 *    plain inserts (batches of 500), and the ratio of the two, and reports the
 *    CPU time each process spent per event while the relay ran. Each
 *    transport runs `--runs` times on a fresh store.
 *  - search: latency of `GET /search` through the gateway, answered by the
 *    monolith and then by the search service, on the load-test data set
 *    (`--posts`, seeded once into .data/loadtest-<store>-<n> as `npm run loadtest` does;
 *    by default the store's size, 10 000 posts on MongoDB, 1 000 on FerretDB).
 *    Queries are sent one at a time, the same sequence to both.
 *  - reads: every GET the services answer, routed to them, at each of
 *    `--sizes` (load-test data sets, seeded once each): p50/p99 of `--requests`
 *    requests per endpoint sent one at a time, then requests per second of each
 *    under the mixed scenario's traffic (`--connections`, `--seconds`); with
 *    each service's resident memory, read-model size and start-up rebuild time
 *    from its /metrics.
 *
 *   npm run loadtest:services -- [--part all|relay|search|reads] [--events 5000] [--runs 3]
 *                                 [--transports tcp,redis,nats,rmq,mqtt]
 *                                 [--posts <n>] [--queries 200] [--monolith-seconds 120]
 *                                 [--sizes 10000,100000] [--requests 1000] [--connections 50] [--seconds 30]
 *
 * Brokers are the ones on 127.0.0.1 (TransportEnv defaults); a transport whose
 * broker does not answer is reported as skipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { generatePosts, seedDemoPosts } from '../datasets/src';
import { Random } from '../datasets/src/generator/random';
import {
  UsageError,
  choiceOption,
  noExtraArguments,
  parseCommandLine,
  positiveIntegerOption,
  runCommand,
} from '@app/config';
import { eventually } from '@app/platform';
import { TRANSPORTS, TransportName } from '@app/transport';
import { cpuMicros } from './lib/cpu';
import { cacheDirFor, ensureSeededData, workingCopy } from './lib/dataset';
import { driveLoad } from './lib/measure';
import { ROOT } from './lib/paths';
import { percentile } from './lib/percentile';
import { EndpointSpec, READS, ROUTE_SERVICES, SCENARIOS, Workload } from './lib/scenarios';
import {
  Stack,
  StackProcessName,
  builtServices,
  plannedStore,
  setRoute,
  stackPids,
  startLoadtestStack,
  waitForRelay,
} from './lib/stack';
import { generatedWorkload, workloadFingerprint } from './lib/workload';

const { canConnect } = require(join(ROOT, 'scripts', 'lib', 'store.js')) as typeof import('../scripts/lib/store');

const BROKER_PORTS: Partial<Record<TransportName, number>> = { redis: 6379, nats: 4222, rmq: 5672, mqtt: 1883 };
const RELAY_TIMEOUT_MS = 30 * 60_000;
const DELIVERY_POLL_MS = 100;
const QUERY_TIMEOUT_MS = 120_000;
const say = (line: string) => process.stdout.write(`${line}\n`);

const USAGE = `usage: npm run loadtest:services -- [--part all|relay|search|reads] [--events 5000] [--runs 3]
         [--transports tcp,redis,nats,rmq,mqtt] [--posts <n>] [--queries 200] [--monolith-seconds 120]
         [--sizes 10000,100000] [--requests 1000] [--connections 50] [--seconds 30]`;

const PARTS = ['all', 'relay', 'search', 'reads'] as const;

function parseBenchArgs(argv: string[]) {
  const { values, positionals } = parseCommandLine(argv, {
    part: { type: 'string' },
    events: { type: 'string' },
    runs: { type: 'string' },
    transports: { type: 'string' },
    posts: { type: 'string' },
    queries: { type: 'string' },
    'monolith-seconds': { type: 'string' },
    sizes: { type: 'string' },
    requests: { type: 'string' },
    connections: { type: 'string' },
    seconds: { type: 'string' },
  });
  noExtraArguments(positionals);
  const transports = (values.transports ?? TRANSPORTS.join(',')).split(',');
  const unknown = transports.find((name) => !(TRANSPORTS as readonly string[]).includes(name));
  if (unknown) throw new UsageError(`--transports: unknown transport "${unknown}" (known: ${TRANSPORTS.join(', ')})`);
  return {
    part: choiceOption(values.part, 'part', PARTS, 'all'),
    events: positiveIntegerOption(values.events, 'events', 5000),
    runs: positiveIntegerOption(values.runs, 'runs', 3),
    transports: transports as TransportName[],
    /** Absent: the store's default size. */
    posts: values.posts === undefined ? undefined : positiveIntegerOption(values.posts, 'posts', 1),
    queries: positiveIntegerOption(values.queries, 'queries', 200),
    monolithSeconds: positiveIntegerOption(values['monolith-seconds'], 'monolith-seconds', 120),
    sizes: (values.sizes ?? '10000,100000').split(',').map((size) => positiveIntegerOption(size, 'sizes', 1)),
    requests: positiveIntegerOption(values.requests, 'requests', 1000),
    connections: positiveIntegerOption(values.connections, 'connections', 50),
    seconds: positiveIntegerOption(values.seconds, 'seconds', 30),
  };
}

type BenchOptions = ReturnType<typeof parseBenchArgs>;

/** One relay run: events per second through the relay, plain inserts per second into the same store, CPU per event. */
interface RelayRate {
  rate: number;
  plainRate: number;
  /** Process -> CPU microseconds it spent per event while the relay ran. */
  cpuPerEvent: Map<string, number>;
}

/** A transport's runs, or why it could not run. */
interface RelayRuns {
  transport: TransportName;
  runs: RelayRate[];
  skipped?: string;
}

const PLAIN_INSERT_BATCH = 500;

/**
 * What the store accepts as plain inserts, the yardstick of the relay's rate:
 * the same number of generated posts inserted as they are, in batches as an
 * import writes them, into a scratch database dropped afterwards.
 */
async function plainInsertRate(mongoUrl: string, documents: number): Promise<number> {
  const client = await MongoClient.connect(mongoUrl);
  const db = client.db(`bench_plain_${process.pid}`);
  try {
    const posts = [...generatePosts({ count: documents, seed: 11 })];
    const started = performance.now();
    for (let start = 0; start < posts.length; start += PLAIN_INSERT_BATCH) {
      await db
        .collection('posts')
        .insertMany(posts.slice(start, start + PLAIN_INSERT_BATCH).map(({ _id: _dumpId, ...post }) => post));
    }
    return documents / ((performance.now() - started) / 1000);
  } finally {
    await db.dropDatabase();
    await client.close();
  }
}

/** One run on a fresh store: both rates, or why there is no figure. */
async function relayRun(
  transport: TransportName,
  events: number,
  services: string[],
): Promise<RelayRate | { skipped: string }> {
  const port = BROKER_PORTS[transport];
  if (port !== undefined && !(await canConnect(port))) return { skipped: `no broker answers on 127.0.0.1:${port}` };
  const dataDir = mkdtempSync(join(tmpdir(), `strangler-relay-${transport}-`));
  try {
    const stack = await startLoadtestStack({
      dataDir,
      services,
      gateway: false,
      env: { TRANSPORT: transport, QUEUE_PREFIX: `bench-${process.pid}-${transport}` },
      log: () => undefined,
    });
    try {
      const plainRate = await plainInsertRate(stack.store.url, events);
      // The relay is timed alone, from a full outbox: the import's own cost is not the relay's.
      await stopProcess(stack, 'sync');
      await seedDemoPosts(stack.store.url, 'reddit', events);
      const cpuBefore = cpuOfStack(stack, services);
      const started = performance.now();
      await stack.restart('sync');
      if (!(await waitForDelivery(stack, services, events))) {
        return { skipped: 'the events were still undelivered after the time limit' };
      }
      const seconds = (performance.now() - started) / 1000;
      const cpuPerEvent = new Map(
        [...cpuOfStack(stack, services)].map(([name, micros]) => [
          name,
          (micros - (cpuBefore.get(name) ?? 0)) / events,
        ]),
      );
      return { rate: events / seconds, plainRate, cpuPerEvent };
    } finally {
      await stack.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Stops one process of the stack and waits for it to exit. */
async function stopProcess(stack: Stack, name: StackProcessName): Promise<void> {
  const child = stack.process(name)?.child;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** CPU microseconds used so far by each process of the stack (the relay's current process, the store's, NATS's own if it runs one). */
function cpuOfStack(stack: Stack, services: readonly string[]): Map<string, number> {
  const pids = [...stackPids(stack, services), { process: 'nats', pid: stack.nats.child?.pid }];
  return new Map(
    pids.flatMap(({ process, pid }) => {
      const micros = pid === undefined ? undefined : cpuMicros(pid);
      return micros === undefined ? [] : [[process, micros] as const];
    }),
  );
}

/**
 * Until every service has acknowledged the first `events` events of the log,
 * polled often, so the clock stops close to the moment the last one is applied.
 */
async function waitForDelivery(stack: Stack, services: readonly string[], events: number): Promise<boolean> {
  const delivered = async () => {
    const res = await fetch(`${stack.url('sync')}/health`, { signal: AbortSignal.timeout(10_000) }).catch(
      () => undefined,
    );
    if (!res?.ok) return false;
    const { checkpoints } = (await res.json()) as { checkpoints: Record<string, number> };
    return services.every((name) => (checkpoints[name] ?? 0) >= events);
  };
  return eventually(delivered, (done) => done, RELAY_TIMEOUT_MS, DELIVERY_POLL_MS);
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

async function relayPart(options: BenchOptions): Promise<void> {
  const { events, runs: repeats } = options;
  const services = builtServices();
  say(`relay: ${events} imported posts (one post.created each) delivered to ${services.join(', ')}`);
  const results: RelayRuns[] = [];
  for (const transport of options.transports) {
    const result: RelayRuns = { transport, runs: [] };
    for (let repeat = 0; repeat < repeats && !result.skipped; repeat++) {
      const one = await relayRun(transport, events, services);
      if ('skipped' in one) result.skipped = one.skipped;
      else result.runs.push(one);
      say(
        'skipped' in one
          ? `  ${transport}: skipped (${one.skipped})`
          : `  ${transport}: ${one.rate.toFixed(0)} events/s; plain inserts ${one.plainRate.toFixed(0)}/s`,
      );
    }
    results.push(result);
  }
  say('\n| transport | events/s to every service, median | plain inserts/s, median | ratio, median of runs |');
  say('|---|---:|---:|---:|');
  for (const { transport, skipped, runs } of results) {
    say(
      skipped
        ? `| ${transport} | skipped: ${skipped} | | |`
        : `| ${transport} | ${median(runs.map((run) => run.rate)).toFixed(0)} | ${median(runs.map((run) => run.plainRate)).toFixed(0)} | ${median(runs.map((run) => run.rate / run.plainRate)).toFixed(2)} |`,
    );
  }
  const measured = results.filter((result) => result.runs.length > 0);
  if (measured.length === 0) return;
  const processes = [...new Set(measured.flatMap(({ runs }) => runs.flatMap((run) => [...run.cpuPerEvent.keys()])))];
  say('\nCPU per event while the relay ran, µs, median of runs:\n');
  say(`| transport | ${processes.join(' | ')} |`);
  say(`|---|${processes.map(() => '---:').join('|')}|`);
  for (const { transport, runs } of measured) {
    const cells = processes.map((name) => median(runs.map((run) => run.cpuPerEvent.get(name) ?? 0)).toFixed(0));
    say(`| ${transport} | ${cells.join(' | ')} |`);
  }
}

interface Latencies {
  target: string;
  samples: number[];
}

/** Sends the queries one at a time until they run out or `budgetMs` is spent; the times in ms. */
async function timeQueries(baseUrl: string, queries: readonly string[], budgetMs: number): Promise<number[]> {
  const samples: number[] = [];
  const deadline = performance.now() + budgetMs;
  for (const query of queries) {
    if (performance.now() > deadline) break;
    const started = performance.now();
    const res = await fetch(`${baseUrl}/search?q=${encodeURIComponent(query)}&limit=10`, {
      signal: AbortSignal.timeout(QUERY_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`GET /search?q=${query} answered ${res.status}`);
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b);
}

async function searchPart(options: BenchOptions): Promise<void> {
  const store = plannedStore();
  const posts = options.posts ?? store.defaultPosts;
  const queryCount = options.queries;
  const monolithBudgetMs = options.monolithSeconds * 1000;
  const services = builtServices();
  const workload = generatedWorkload(posts, 1);
  const random = new Random(7);
  const queries = Array.from({ length: queryCount }, () => random.pick(workload.terms));
  const cacheDir = cacheDirFor(posts, store.kind);
  await ensureSeededData({
    cacheDir,
    posts,
    services,
    fingerprint: workloadFingerprint(workload),
    log: (line) => say(`  [data] ${line}`),
  });
  const stack = await startLoadtestStack({
    dataDir: workingCopy(cacheDir),
    services: ['search'],
    gateway: true,
    log: () => undefined,
  });
  const results: Latencies[] = [];
  try {
    const gateway = stack.url('gateway');
    // One unmeasured query each, so neither side pays for its first connection in the figures.
    await setRoute(stack, 'search', 'search');
    await timeQueries(gateway, queries.slice(0, 1), QUERY_TIMEOUT_MS);
    results.push({ target: 'search service', samples: await timeQueries(gateway, queries, Number.MAX_SAFE_INTEGER) });
    await setRoute(stack, 'search', 'monolith');
    await timeQueries(gateway, queries.slice(0, 1), QUERY_TIMEOUT_MS);
    results.push({ target: 'monolith', samples: await timeQueries(gateway, queries, monolithBudgetMs) });
  } finally {
    await stack.stop();
    rmSync(`${cacheDir}-run`, { recursive: true, force: true });
  }
  say(`\nsearch: ${posts} posts, GET /search?q=<one or two word prefixes>&limit=10 through the gateway, one at a time`);
  say('| answered by | queries | p50 ms | p99 ms | max ms |');
  say('|---|---:|---:|---:|---:|');
  for (const { target, samples } of results) {
    const row = [percentile(samples, 50), percentile(samples, 99), samples[samples.length - 1]].map((ms) =>
      ms.toFixed(1),
    );
    say(`| ${target} | ${samples.length} | ${row.join(' | ')} |`);
  }
  const [service, monolith] = results.map(({ samples }) => percentile(samples, 50));
  say(`\nmonolith p50 / service p50: ${(monolith / service).toFixed(0)}x`);
}

/** Readers with hides and tag preferences, so that personalised lists have something to personalise. */
const READERS = 20;
const readerOf = (random: Random) => `bench-reader-${random.int(1, READERS)}`;

/** Every GET an extracted service answers, as the gateway routes them. */
const SERVICE_GETS: readonly EndpointSpec[] = [
  ...READS.filter((spec) => spec.route !== undefined),
  {
    name: 'GET /users/:user/recommendations (hides, preferences)',
    method: 'GET',
    route: 'recommendations',
    weight: 1,
    build: (random) => ({ path: `/users/${readerOf(random)}/recommendations?limit=12` }),
  },
  {
    name: 'GET /tags/:tag/posts?page=4',
    method: 'GET',
    route: 'tags',
    weight: 1,
    build: (random, w) => ({ path: `/tags/${random.pick(w.tags)}/posts?page=4&limit=25` }),
  },
  {
    name: 'GET /posts/:id/tags',
    method: 'GET',
    route: 'tags',
    weight: 1,
    build: (random, w) => ({ path: `/posts/${random.pick(w.postIds)}/tags` }),
  },
  {
    name: 'GET /users/:user/preferences',
    method: 'GET',
    route: 'tags',
    weight: 1,
    build: (random) => ({ path: `/users/${readerOf(random)}/preferences` }),
  },
  {
    name: 'GET /posts/:id/stats',
    method: 'GET',
    route: 'engagement',
    weight: 1,
    build: (random, w) => ({ path: `/posts/${random.pick(w.postIds)}/stats` }),
  },
];

interface ReadSample {
  endpoint: string;
  service: string;
  /** Milliseconds, ascending. */
  samples: number[];
}

interface ServiceFigures {
  service: string;
  residentBytes: number;
  /** Per read model: documents, bytes and rebuild seconds at start. */
  models: { model: string; documents: number; bytes: number; rebuildSeconds: number }[];
}

interface SizeFigures {
  posts: number;
  sequential: ReadSample[];
  /** Requests per second and p99 ms of each service-served GET under the mixed traffic. */
  underLoad: { endpoint: string; rps: number; p99: number; errors: number }[];
  services: ServiceFigures[];
}

async function send(gateway: string, method: string, path: string, body?: unknown): Promise<Response> {
  const res = await fetch(`${gateway}${path}`, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(QUERY_TIMEOUT_MS),
  });
  await res.arrayBuffer();
  if (res.status >= 400) throw new Error(`${method} ${path} answered ${res.status}`);
  return res;
}

/** Gives every reader preferred and hidden tags and a few hidden posts, then waits until the services have them. */
async function seedReaders(stack: Stack, workload: Workload, services: string[]): Promise<void> {
  const gateway = stack.url('gateway');
  const random = new Random(3);
  const rare = workload.tags.slice(-5);
  for (let n = 1; n <= READERS; n++) {
    const user = `bench-reader-${n}`;
    await send(gateway, 'PUT', `/users/${user}/preferences`, {
      tags: [random.pick(rare)],
      hiddenTags: [random.pick(workload.tags.slice(0, 3))],
    });
    for (let hide = 0; hide < 5; hide++) {
      await send(gateway, 'POST', `/posts/${random.pick(workload.postIds)}/hide`, { user });
    }
  }
  const lag = await waitForRelay(stack, [...services, 'monolith'], RELAY_TIMEOUT_MS, (left) =>
    say(`  [readers] ${left} events to deliver`),
  );
  if (lag > 0) throw new Error(`${lag} events of the readers' writes were still undelivered`);
}

/** Each endpoint's requests one at a time, each checked to come from its service; times in ms. */
async function timeOneAtATime(gateway: string, workload: Workload, requests: number): Promise<ReadSample[]> {
  const results: ReadSample[] = [];
  for (const [index, spec] of SERVICE_GETS.entries()) {
    const service = ROUTE_SERVICES[spec.route as string];
    const random = new Random(100 + index);
    const paths = Array.from({ length: requests + 1 }, () => spec.build(random, workload).path);
    const samples: number[] = [];
    // The first request is unmeasured: it pays for the connection.
    for (const [n, path] of paths.entries()) {
      const started = performance.now();
      const res = await send(gateway, 'GET', path);
      const elapsed = performance.now() - started;
      const servedBy = res.headers.get('x-served-by');
      if (servedBy !== service) throw new Error(`GET ${path} was served by ${servedBy}, not ${service}`);
      if (n > 0) samples.push(elapsed);
    }
    results.push({ endpoint: spec.name, service, samples: samples.sort((a, b) => a - b) });
  }
  return results;
}

/** The value of a Prometheus sample line `name{labels} value`, by name and a label filter. */
function sampleOf(text: string, name: string, label = ''): number | undefined {
  const line = text.split('\n').find((row) => row.startsWith(`${name}{`) && row.includes(label));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function serviceFigures(stack: Stack, service: string): Promise<ServiceFigures> {
  const text = await (await fetch(`${stack.url(service as StackProcessName)}/metrics`)).text();
  const models = [...text.matchAll(/^read_model_documents\{model="([^"]+)"/gm)].map(([, model]) => {
    const label = `model="${model}"`;
    return {
      model,
      documents: sampleOf(text, 'read_model_documents', label) ?? 0,
      bytes: sampleOf(text, 'read_model_bytes', label) ?? 0,
      rebuildSeconds: sampleOf(text, 'read_model_rebuild_seconds', label) ?? 0,
    };
  });
  return { service, residentBytes: sampleOf(text, 'process_resident_memory_bytes') ?? 0, models };
}

async function readsAt(posts: number, requests: number, connections: number, seconds: number): Promise<SizeFigures> {
  const services = builtServices();
  const workload = generatedWorkload(posts, 1);
  const cacheDir = cacheDirFor(posts, plannedStore().kind);
  await ensureSeededData({
    cacheDir,
    posts,
    services,
    fingerprint: workloadFingerprint(workload),
    log: (line) => say(`  [data] ${line}`),
  });
  say(`  [${posts}] starting the stack (each service rebuilds its read model from its store)...`);
  const stack = await startLoadtestStack({
    dataDir: workingCopy(cacheDir),
    services,
    gateway: true,
    log: () => undefined,
  });
  try {
    const atStart = await Promise.all(services.map((service) => serviceFigures(stack, service)));
    for (const [route, service] of Object.entries(ROUTE_SERVICES)) await setRoute(stack, route, service);
    await seedReaders(stack, workload, services);
    const gateway = stack.url('gateway');
    say(`  [${posts}] ${requests} requests per endpoint, one at a time...`);
    const sequential = await timeOneAtATime(gateway, workload, requests);
    say(`  [${posts}] mixed traffic, ${connections} connections, ${seconds} s...`);
    const load = await driveLoad({
      baseUrl: gateway,
      endpoints: SCENARIOS.mixed,
      workload,
      connections,
      durationSeconds: seconds,
      maxRequests: Number.MAX_SAFE_INTEGER,
      seed: 1,
    });
    const underLoad = load
      .filter((result) => result.route !== undefined && result.name.startsWith('GET '))
      .map((result) => ({
        endpoint: result.name,
        rps: result.rps,
        p99: result.latencyMs.p99,
        errors: result.errors + result.timeouts + result.non2xx,
      }));
    const afterLoad = await Promise.all(services.map((service) => serviceFigures(stack, service)));
    // Sizes and memory as the run left them; rebuild times as measured at start.
    const figures = afterLoad.map((after) => {
      const start = atStart.find(({ service }) => service === after.service);
      return {
        ...after,
        models: after.models.map((model) => ({
          ...model,
          rebuildSeconds: start?.models.find((m) => m.model === model.model)?.rebuildSeconds ?? model.rebuildSeconds,
        })),
      };
    });
    return { posts, sequential, underLoad, services: figures };
  } finally {
    await stack.stop();
    rmSync(`${cacheDir}-run`, { recursive: true, force: true });
  }
}

function printReads(sizes: readonly SizeFigures[], requests: number, connections: number, seconds: number): void {
  const ms = (value: number) => value.toFixed(1);
  for (const { posts, sequential, underLoad, services } of sizes) {
    say(`\nreads: ${posts} posts, through the gateway, every route on its service`);
    say(`one at a time (${requests} requests each); under mixed traffic (${connections} connections, ${seconds} s)`);
    say('| endpoint | service | p50 ms | p99 ms | max ms | mixed req/s | mixed p99 ms |');
    say('|---|---|---:|---:|---:|---:|---:|');
    for (const { endpoint, service, samples } of sequential) {
      const loaded = underLoad.find((row) => row.endpoint === endpoint);
      const mixed = loaded ? [loaded.rps.toFixed(0), String(loaded.p99)] : ['', ''];
      say(
        `| \`${endpoint}\` | ${service} | ${ms(percentile(samples, 50))} | ${ms(percentile(samples, 99))} | ${ms(samples[samples.length - 1])} | ${mixed.join(' | ')} |`,
      );
    }
    const failed = underLoad.filter((row) => row.errors > 0);
    if (failed.length) say(`errors under load: ${failed.map((row) => `${row.endpoint} ${row.errors}`).join(', ')}`);
    say('\n| service | resident MB | read model | documents | model MB | rebuild at start s |');
    say('|---|---:|---|---:|---:|---:|');
    for (const { service, residentBytes, models } of services) {
      for (const [n, model] of models.entries()) {
        const resident = n === 0 ? (residentBytes / 2 ** 20).toFixed(0) : '';
        say(
          `| ${n === 0 ? service : ''} | ${resident} | ${model.model} | ${model.documents} | ${(model.bytes / 2 ** 20).toFixed(1)} | ${model.rebuildSeconds.toFixed(2)} |`,
        );
      }
    }
  }
  if (sizes.length < 2) return;
  const [small, large] = [sizes[0], sizes[sizes.length - 1]];
  say(`\np99 growth from ${small.posts} to ${large.posts} posts (${large.posts / small.posts}x the data):`);
  say('| endpoint | p99 ratio |');
  say('|---|---:|');
  for (const { endpoint, samples } of large.sequential) {
    const before = small.sequential.find((row) => row.endpoint === endpoint);
    if (before) say(`| \`${endpoint}\` | ${(percentile(samples, 99) / percentile(before.samples, 99)).toFixed(2)} |`);
  }
}

async function readsPart(options: BenchOptions): Promise<void> {
  const { sizes, requests, connections, seconds } = options;
  const figures: SizeFigures[] = [];
  for (const posts of sizes) figures.push(await readsAt(posts, requests, connections, seconds));
  printReads(figures, requests, connections, seconds);
}

async function main(argv: string[]): Promise<void> {
  const options = parseBenchArgs(argv);
  const { part } = options;
  say(`${cpus().length} cores, Node ${process.version}`);
  if (part === 'all' || part === 'relay') await relayPart(options);
  if (part === 'all' || part === 'search') await searchPart(options);
  if (part === 'all' || part === 'reads') await readsPart(options);
}

runCommand(USAGE, main);
