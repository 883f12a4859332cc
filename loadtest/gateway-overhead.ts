/**
 * What the gateway costs: the same endpoints, first called directly, then
 * through the gateway, in one run on this machine. Reports the throughput
 * ratio, the latency the hop adds (p50/p99) and the gateway's CPU time per
 * request, read from /proc/<pid>/stat around the gateway's run.
 *
 * Two backends (both by default, or pick one with --backend):
 *  - synthetic: a node:http server burning a fixed CPU time per request
 *    (--work-us, default 300), so the proxy's own cost stands out;
 *  - monolith: the real monolith on the document store, with seeded posts.
 *
 *   npm run loadtest:gateway -- [--backend both|synthetic|monolith] [--requests 20000]
 *                                [--monolith-requests 500] [--connections 16] [--work-us 300]
 *
 * Everything runs on 127.0.0.1 and every run sends a fixed number of requests.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  choiceOption,
  commandLineOrExit,
  noExtraArguments,
  parseCommandLine,
  positiveIntegerOption,
  runCommand,
} from '@app/config';
import { load } from './lib/load';
import { RESULTS_DIR, ROOT } from './lib/paths';
import { startLoadtestStack } from './lib/stack';
import { healthy, spawnSyntheticBackend, started } from './lib/synthetic-backend';

const { freePort, stopChild } = require(
  join(ROOT, 'scripts', 'lib', 'store.js'),
) as typeof import('../scripts/lib/store');

const USAGE = `usage: npm run loadtest:gateway -- [--backend both|synthetic|monolith] [--requests 20000]
         [--monolith-requests 500] [--connections 16] [--work-us 300] [--seed 200]`;

const OPTIONS = commandLineOrExit(USAGE, (argv) => {
  const { values, positionals } = parseCommandLine(argv, {
    backend: { type: 'string' },
    requests: { type: 'string' },
    'monolith-requests': { type: 'string' },
    connections: { type: 'string' },
    'work-us': { type: 'string' },
    seed: { type: 'string' },
  });
  noExtraArguments(positionals);
  const backend = choiceOption(values.backend, 'backend', ['both', 'synthetic', 'monolith'] as const, 'both');
  return {
    backends: backend === 'both' ? (['synthetic', 'monolith'] as const) : ([backend] as const),
    requests: positiveIntegerOption(values.requests, 'requests', 20_000),
    monolithRequests: positiveIntegerOption(values['monolith-requests'], 'monolith-requests', 500),
    connections: positiveIntegerOption(values.connections, 'connections', 16),
    workUs: positiveIntegerOption(values['work-us'], 'work-us', 300),
    seedPosts: positiveIntegerOption(values.seed, 'seed', 200),
  };
});
const BACKENDS = OPTIONS.backends;
const REQUESTS = OPTIONS.requests;
const MONOLITH_REQUESTS = OPTIONS.monolithRequests;
const CONNECTIONS = OPTIONS.connections;
const WORK_US = OPTIONS.workUs;
const SEED_POSTS = OPTIONS.seedPosts;
const say = (line: string) => process.stdout.write(`${line}\n`);

/** A backend to put behind the gateway, and the gateway in front of it. */
interface Setup {
  title: string;
  direct: string;
  gateway: string;
  backendPid: number;
  gatewayPid: number;
  endpoints: string[];
  requests: number;
  stop(): Promise<void>;
}

async function syntheticSetup(): Promise<Setup> {
  const dir = mkdtempSync(join(tmpdir(), 'strangler-gateway-bench-'));
  const routesFile = join(dir, 'routes.yaml');
  copyFileSync(join(ROOT, 'gateway', 'routes.yaml'), routesFile);
  const [backendPort, gatewayPort] = [await freePort(), await freePort()];
  const backend = spawnSyntheticBackend(backendPort, WORK_US);
  const env = {
    PATH: process.env.PATH,
    PORT: String(gatewayPort),
    MONOLITH_URL: `http://127.0.0.1:${backendPort}`,
    ROUTES_FILE: routesFile,
    LOG_LEVEL: 'warn',
  };
  const gateway = spawn(process.execPath, [join(ROOT, 'dist', 'gateway', 'src', 'main.js')], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = async () => {
    await Promise.all([stopChild(gateway), stopChild(backend)]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await started(backend, 'the synthetic backend');
    await healthy(`http://127.0.0.1:${gatewayPort}/_gateway/health`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    title: `synthetic backend burning ${WORK_US} µs/request`,
    direct: `http://127.0.0.1:${backendPort}`,
    gateway: `http://127.0.0.1:${gatewayPort}`,
    backendPid: backend.pid as number,
    gatewayPid: gateway.pid as number,
    // The default route, the first named route, and the last matcher of the last route.
    endpoints: ['/posts/abc', '/search?q=python', '/posts/abc/stats'],
    requests: REQUESTS,
    stop,
  };
}

async function seed(monolith: string): Promise<string[]> {
  const words = ['python', 'django', 'asyncio', 'pandas', 'flask', 'typing', 'pytest', 'numpy'];
  const ids: string[] = [];
  for (let i = 0; i < SEED_POSTS; i++) {
    const title = `${words[i % words.length]} ${words[(i * 3 + 1) % words.length]} question ${i}`;
    const res = await fetch(`${monolith}/posts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title, author: `bench${i % 17}`, selftext: 'load test post' }),
    });
    if (res.status !== 201) throw new Error(`seeding failed: POST /posts answered ${res.status}: ${await res.text()}`);
    ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
}

async function monolithSetup(): Promise<Setup> {
  const dataDir = mkdtempSync(join(tmpdir(), 'strangler-gateway-bench-'));
  const stack = await startLoadtestStack({ dataDir, services: [], gateway: true, log: say });
  const stop = async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    say(`seeding ${SEED_POSTS} posts...`);
    const ids = await seed(stack.url('monolith'));
    return {
      title: `the monolith on the document store (${SEED_POSTS} posts)`,
      direct: stack.url('monolith'),
      gateway: stack.url('gateway'),
      backendPid: stack.process('monolith')?.child.pid as number,
      gatewayPid: stack.process('gateway')?.child.pid as number,
      endpoints: [`/posts/${ids[Math.floor(ids.length / 2)]}`, '/health'],
      requests: MONOLITH_REQUESTS,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** Direct, then through the gateway, per endpoint, after a warm-up of each. */
async function measure(setup: Setup): Promise<string[]> {
  const warmup = Math.ceil(setup.requests / 5);
  const lines = [
    `## ${setup.title}`,
    '',
    `${setup.requests} requests per run, ${CONNECTIONS} connections. Latency in ms: direct / gateway (+added).`,
    '',
    '| endpoint | direct req/s | gateway req/s | ratio | p50 ms | p99 ms | gateway CPU µs/req | backend CPU µs/req | failures |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const path of setup.endpoints) {
    say(`${path}: ${setup.requests} requests direct, then ${setup.requests} through the gateway`);
    await load(`${setup.direct}${path}`, warmup, setup.backendPid, CONNECTIONS);
    await load(`${setup.gateway}${path}`, warmup, setup.gatewayPid, CONNECTIONS);
    const direct = await load(`${setup.direct}${path}`, setup.requests, setup.backendPid, CONNECTIONS);
    const proxied = await load(`${setup.gateway}${path}`, setup.requests, setup.gatewayPid, CONNECTIONS);
    const cells = [
      `\`GET ${path}\``,
      fixed(direct.rps, 0),
      fixed(proxied.rps, 0),
      `${fixed(proxied.rps / direct.rps)}x`,
      `${fixed(direct.p50)} / ${fixed(proxied.p50)} (+${fixed(proxied.p50 - direct.p50)})`,
      `${fixed(direct.p99)} / ${fixed(proxied.p99)} (+${fixed(proxied.p99 - direct.p99)})`,
      fixed(proxied.cpuPerRequest, 0),
      fixed(direct.cpuPerRequest, 0),
      String(direct.failures + proxied.failures),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return [...lines, ''];
}

async function main(): Promise<void> {
  const report = [
    `# Gateway overhead (${new Date().toISOString()})`,
    '',
    `Loopback, node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(2)} at the start; the load generator runs on the same machine.`,
    '',
  ];
  for (const backend of BACKENDS) {
    say(`starting the ${backend} backend and a gateway in front of it (from dist/)...`);
    const setup = backend === 'synthetic' ? await syntheticSetup() : await monolithSetup();
    try {
      report.push(...(await measure(setup)));
    } finally {
      await setup.stop();
    }
  }
  const text = report.join('\n');
  say(`\n${text}`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'gateway-overhead.md'), text);
  say(`written to ${join(RESULTS_DIR, 'gateway-overhead.md')}`);
}

runCommand(USAGE, main);
