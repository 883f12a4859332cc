/**
 * `npm run loadtest:firstrun`: what a new user meets on `npm start`. Runs
 * scripts/start.js on a fresh data folder (free ports), takes the seconds
 * from its start to the printed URL and until the relay has delivered the
 * seed to the services, then the idle latency of every monolith GET
 * endpoint: one request at a time, straight at the monolith port.
 * Prints a Markdown table naming the store and the data size, then stops the
 * product. Tools already built in .tools/ stay built: their first build is
 * a one-off of its own (see the README).
 *
 *   npm run loadtest:firstrun -- [--requests 50]
 *
 * SEED_POSTS, MONGO_URL and NATS_URL are passed on as `npm start` takes them.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreKind } from '../scripts/lib/store';
import { noExtraArguments, parseCommandLine, positiveIntegerOption, runCommand } from '@app/config';
import { eventually } from '@app/platform';
import { ROOT } from './lib/paths';
import { percentile } from './lib/percentile';

const storeScript = require(join(ROOT, 'scripts', 'lib', 'store.js')) as typeof import('../scripts/lib/store');

const START_TIMEOUT_MS = 30 * 60_000;
const RELAY_TIMEOUT_MS = 30 * 60_000;
const REQUEST_TIMEOUT_MS = 60_000;
const say = (line: string) => process.stdout.write(`${line}\n`);

const USAGE = 'usage: npm run loadtest:firstrun -- [--requests 50]';

function requestsOption(argv: string[]): number {
  const { values, positionals } = parseCommandLine(argv, { requests: { type: 'string' } });
  noExtraArguments(positionals);
  return positiveIntegerOption(values.requests, 'requests', 50);
}

/** What start.js printed, line by line, with the seconds since it was spawned. */
interface Started {
  child: ChildProcess;
  /** performance.now() when start.js was spawned. */
  begun: number;
  lines: { seconds: number; text: string }[];
  gateway: string;
  monolith: string;
  relay: string;
  storeUrl: string;
  storeKind: StoreKind;
}

function startProduct(dataDir: string): Promise<Started> {
  const begun = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.js')], {
    cwd: ROOT,
    env: { ...process.env, START_RANDOM_PORTS: '1', STORE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Started['lines'] = [];
  let pending = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('no URL printed within 30 minutes')), START_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${lines.map((line) => line.text).join('\n')}`));
    };
    const onData = (chunk: Buffer) => {
      pending += chunk.toString();
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const text of complete) {
        lines.push({ seconds: (performance.now() - begun) / 1000, text });
        const services = /^\s+monolith (\S+), relay (\S+), store (\S+) \((\w+)\), event log/.exec(text);
        const gateway = lines.map((line) => /Strangler is running at (\S+)/.exec(line.text)?.[1]).find(Boolean);
        if (services && gateway) {
          clearTimeout(timer);
          resolve({
            child,
            begun,
            lines,
            gateway,
            monolith: services[1],
            relay: services[2],
            storeUrl: services[3],
            storeKind: services[4] as StoreKind,
          });
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(new Error(`npm start exited (${code}) before printing its URL`)));
  });
}

async function stopProduct(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // The listener that reports an early exit goes first: this exit is expected.
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return (await res.json()) as T;
}

/**
 * Waits until the relay has delivered every event to every consumer (its
 * health reports no pending outbox entries and every checkpoint at its
 * position, twice in a row), so the measurement is not taken while the seed
 * is still being relayed. Resolves with false when its health tells no lag.
 */
async function waitForRelay(relay: string): Promise<boolean> {
  let previous: number | undefined;
  const poll = async (): Promise<'settled' | 'no lag reported' | 'waiting'> => {
    const health = await getJson<{ position?: number; pending?: number; checkpoints?: Record<string, number> }>(
      `${relay}/health`,
    ).catch(() => undefined);
    if (health && (health.position === undefined || health.checkpoints === undefined)) return 'no lag reported';
    const settled =
      health?.pending === 0 && Object.values(health.checkpoints ?? {}).every((at) => at === health.position);
    const twice = settled && health?.position === previous;
    previous = settled ? health?.position : undefined;
    return twice ? 'settled' : 'waiting';
  };
  const outcome = await eventually(poll, (state) => state !== 'waiting', RELAY_TIMEOUT_MS, 1000);
  if (outcome === 'waiting')
    throw new Error(`the relay had not delivered the seed after ${RELAY_TIMEOUT_MS / 60_000} minutes`);
  return outcome === 'settled';
}

/** Every GET endpoint of the monolith, with a path that exists in the seeded data. */
async function endpoints(monolith: string): Promise<{ name: string; path: string }[]> {
  const page = await getJson<{ items: { id: string; title: string }[]; total: number }>(`${monolith}/posts?limit=1`);
  const post = page.items[0];
  if (!post) throw new Error('the monolith has no posts to measure with');
  const word = (post.title.match(/[A-Za-z0-9]{3,}/g) ?? ['python'])[0].toLowerCase();
  const tags = await getJson<{ tag: string }[]>(`${monolith}/tags`);
  const tag = tags[0]?.tag ?? 'python';
  const user = 'first-run-user';
  return [
    { name: 'GET /health', path: '/health' },
    { name: 'GET /posts', path: '/posts?limit=25' },
    { name: 'GET /posts/:id', path: `/posts/${post.id}` },
    { name: 'GET /search', path: `/search?q=${encodeURIComponent(word)}&limit=10` },
    { name: 'GET /recommendations', path: '/recommendations' },
    { name: 'GET /users/:user/recommendations', path: `/users/${user}/recommendations` },
    { name: 'GET /tags', path: '/tags' },
    { name: 'GET /tags/:tag/posts', path: `/tags/${encodeURIComponent(tag)}/posts?limit=25` },
    { name: 'GET /posts/:id/tags', path: `/posts/${post.id}/tags` },
    { name: 'GET /users/:user/preferences', path: `/users/${user}/preferences` },
    { name: 'GET /posts/:id/stats', path: `/posts/${post.id}/stats` },
    { name: 'GET /data', path: '/data?page=1' },
  ];
}

/** One request at a time; the first is a warm-up and is not counted. */
async function timeEndpoint(url: string, requests: number): Promise<{ samples: number[]; failures: number }> {
  const samples: number[] = [];
  let failures = 0;
  for (let i = 0; i <= requests; i++) {
    const started = performance.now();
    const res = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).catch(() => undefined);
    await res?.arrayBuffer().catch(() => undefined);
    const ms = performance.now() - started;
    if (i === 0) continue;
    if (res?.ok) samples.push(ms);
    else failures++;
  }
  return { samples: samples.sort((a, b) => a - b), failures };
}

async function main(argv: string[]): Promise<void> {
  const requests = requestsOption(argv);
  const dataDir = mkdtempSync(join(tmpdir(), 'strangler-first-run-'));
  say(`first run: npm start on a fresh data folder (${cpus().length} cores, Node ${process.version})...`);
  let started: Started | undefined;
  try {
    started = await startProduct(dataDir);
    const { monolith } = started;
    const urlSeconds = started.lines.find((line) => line.text.startsWith('Strangler is running at'))?.seconds ?? 0;
    const server = await storeScript.describeServer(started.storeUrl, started.storeKind);
    const { total } = await getJson<{ total: number }>(`${monolith}/posts?limit=1`);
    const seeded = started.lines.find((line) => /^seeded: /.test(line.text));
    const relayed = (await waitForRelay(started.relay)) ? (performance.now() - started.begun) / 1000 : undefined;
    const load = loadavg().map((value) => value.toFixed(1));

    const rows: string[] = [];
    for (const endpoint of await endpoints(monolith)) {
      const { samples, failures } = await timeEndpoint(`${monolith}${endpoint.path}`, requests);
      const figures = samples.length
        ? [percentile(samples, 50), percentile(samples, 99)].map((ms) => ms.toFixed(1))
        : ['–', '–'];
      rows.push(`| \`${endpoint.name}\` | ${samples.length} | ${figures.join(' | ')} | ${failures} |`);
    }

    say('');
    say(`First run of \`npm start\`: ${total} posts on ${server.label} (${started.storeKind}), fresh data folder`);
    say('');
    say(`- seconds from start to the printed URL: ${urlSeconds.toFixed(1)}`);
    if (seeded) say(`- seeding was done ${seeded.seconds.toFixed(1)} s after the start`);
    say(
      relayed === undefined
        ? '- the relay reports no lag in its health: measured without waiting for it'
        : `- seconds until the relay had delivered the seed to every service: ${relayed.toFixed(1)}`,
    );
    say(`- load average before measuring (other work on the machine): ${load.join(' / ')}`);
    say('');
    say(`Idle latency of the monolith, one request at a time on its own port, ${requests} requests each:`);
    say('');
    say('| endpoint | requests | p50 ms | p99 ms | failed |');
    say('|---|---:|---:|---:|---:|');
    for (const row of rows) say(row);
  } finally {
    if (started) await stopProduct(started.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runCommand(USAGE, main);
