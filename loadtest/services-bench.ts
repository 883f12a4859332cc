/**
 * Two measurements of the extracted services, for the README:
 *
 *  - relay: events per second through the relay on each transport. A fresh
 *    store runs the monolith, every service and the relay; `--events` posts
 *    are imported while they run, and the clock stops when every service has
 *    acknowledged them all. Each run also measures how many of the same posts
 *    per second the store accepts as plain inserts (batches of 500), and the
 *    ratio of the two. Each transport runs `--runs` times on a fresh store.
 *  - search: latency of `GET /search` through the gateway, answered by the
 *    monolith and then by the search service, on the load-test data set
 *    (`--posts`, seeded once into .data/loadtest-<store>-<n> as `npm run loadtest` does;
 *    by default the store's size, 10 000 posts on MongoDB, 1 000 on FerretDB).
 *    Queries are sent one at a time, the same sequence to both.
 *
 *   npm run loadtest:services -- [--part both|relay|search] [--events 5000] [--runs 3]
 *                                 [--transports tcp,redis,nats,rmq,mqtt]
 *                                 [--posts <n>] [--queries 200] [--monolith-seconds 120]
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
import { TRANSPORTS, TransportName } from '@app/transport';
import { cacheDirFor, ensureSeededData, workingCopy } from './lib/dataset';
import { ROOT } from './lib/paths';
import { percentile } from './lib/percentile';
import { builtServices, plannedStore, setRoute, startLoadtestStack, waitForRelay } from './lib/stack';
import { generatedWorkload, workloadFingerprint } from './lib/workload';

const { canConnect } = require(join(ROOT, 'scripts', 'lib', 'store.js')) as typeof import('../scripts/lib/store');

const BROKER_PORTS: Partial<Record<TransportName, number>> = { redis: 6379, nats: 4222, rmq: 5672, mqtt: 1883 };
const RELAY_TIMEOUT_MS = 30 * 60_000;
const QUERY_TIMEOUT_MS = 120_000;
const say = (line: string) => process.stdout.write(`${line}\n`);

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : (process.argv[index + 1] ?? '');
}

function count(name: string, fallback: number): number {
  const value = Number(option(name, String(fallback)));
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
  return value;
}

function transportsOption(): TransportName[] {
  const names = option('transports', TRANSPORTS.join(',')).split(',');
  const unknown = names.find((name) => !(TRANSPORTS as readonly string[]).includes(name));
  if (unknown) throw new Error(`--transports: unknown transport "${unknown}" (known: ${TRANSPORTS.join(', ')})`);
  return names as TransportName[];
}

/** One relay run: events per second through the relay, and plain inserts per second into the same store. */
interface RelayRate {
  rate: number;
  plainRate: number;
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
      const started = performance.now();
      await seedDemoPosts(stack.store.url, 'reddit', events);
      const lag = await waitForRelay(stack, services, RELAY_TIMEOUT_MS, (left) =>
        say(`  [${transport}] ${left} events to deliver`),
      );
      if (lag > 0) return { skipped: `${lag} events were still undelivered after the time limit` };
      return { rate: events / ((performance.now() - started) / 1000), plainRate };
    } finally {
      await stack.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

async function relayPart(): Promise<void> {
  const events = count('events', 5000);
  const repeats = count('runs', 3);
  const services = builtServices();
  say(`relay: ${events} imported posts (one post.created each) delivered to ${services.join(', ')}`);
  const results: RelayRuns[] = [];
  for (const transport of transportsOption()) {
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

async function searchPart(): Promise<void> {
  const store = plannedStore();
  const posts = count('posts', store.defaultPosts);
  const queryCount = count('queries', 200);
  const monolithBudgetMs = count('monolith-seconds', 120) * 1000;
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

async function main(): Promise<void> {
  const part = option('part', 'both');
  if (!['both', 'relay', 'search'].includes(part)) throw new Error('--part must be both, relay or search');
  say(`${cpus().length} cores, Node ${process.version}`);
  if (part !== 'search') await relayPart();
  if (part !== 'relay') await searchPart();
}

main().catch((error: Error) => {
  process.stderr.write(`services bench failed: ${error.message}\n`);
  process.exitCode = 1;
});
