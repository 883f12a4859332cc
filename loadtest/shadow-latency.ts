/**
 * Whether a shadow makes clients wait: the same GETs through the gateway
 * with the route live on a stand-in monolith, then shadowed to a candidate
 * that takes --candidate-delay-ms to answer, alternating off and on
 * --rounds times in one run, at a fixed --rate of requests per second (the
 * clients' latency then shows waiting, not a CPU the load generator already
 * fills). Reports the clients' p50/p99 with the shadow on against off, as
 * ratios, and what the shadow compared meanwhile. `--rate 0` sends as fast
 * as answers come, which shows the shadow's CPU cost instead.
 *
 *   npm run loadtest:shadow -- [--requests 3000] [--rate 200] [--connections 16] [--rounds 2]
 *                              [--work-us 300] [--candidate-delay-ms 50]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import {
  commandLineOrExit,
  integerOption,
  noExtraArguments,
  parseCommandLine,
  positiveIntegerOption,
  runCommand,
} from '@app/config';
import { Measurement, load } from './lib/load';
import { ROOT } from './lib/paths';
import { healthy, spawnSyntheticBackend, started } from './lib/synthetic-backend';

const { freePort, stopChild } = require(
  join(ROOT, 'scripts', 'lib', 'store.js'),
) as typeof import('../scripts/lib/store');

const USAGE = `usage: npm run loadtest:shadow -- [--requests 3000] [--rate 200] [--connections 16] [--rounds 2]
         [--work-us 300] [--candidate-delay-ms 50]`;

const OPTIONS = commandLineOrExit(USAGE, (argv) => {
  const { values, positionals } = parseCommandLine(argv, {
    requests: { type: 'string' },
    rate: { type: 'string' },
    connections: { type: 'string' },
    rounds: { type: 'string' },
    'work-us': { type: 'string' },
    'candidate-delay-ms': { type: 'string' },
  });
  noExtraArguments(positionals);
  return {
    requests: positiveIntegerOption(values.requests, 'requests', 3_000),
    rate: integerOption(values.rate, 'rate', 0, 100_000, 200),
    connections: positiveIntegerOption(values.connections, 'connections', 16),
    rounds: positiveIntegerOption(values.rounds, 'rounds', 2),
    workUs: positiveIntegerOption(values['work-us'], 'work-us', 300),
    candidateDelayMs: positiveIntegerOption(values['candidate-delay-ms'], 'candidate-delay-ms', 50),
  };
});
const TOKEN = 'loadtest-shadow-token';
const PATH = '/search?q=python';
const say = (line: string) => process.stdout.write(`${line}\n`);

/** The shipped routes with the stand-in candidate declared as an http target. */
function routesWithCandidate(candidateUrl: string): string {
  const document = parseDocument(readFileSync(join(ROOT, 'gateway', 'routes.yaml'), 'utf8'));
  document.setIn(['targets', 'candidate'], document.createNode({ type: 'http', url: candidateUrl }));
  return document.toString();
}

async function admin(gateway: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${gateway}/_gateway${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'strangler-shadow-bench-'));
  const [monolithPort, candidatePort, gatewayPort] = [await freePort(), await freePort(), await freePort()];
  const routesFile = join(dir, 'routes.yaml');
  writeFileSync(routesFile, routesWithCandidate(`http://127.0.0.1:${candidatePort}`));
  const monolith = spawnSyntheticBackend(monolithPort, OPTIONS.workUs);
  const candidate = spawnSyntheticBackend(candidatePort, OPTIONS.workUs, OPTIONS.candidateDelayMs);
  const gatewayProcess = spawn(process.execPath, [join(ROOT, 'dist', 'gateway', 'src', 'main.js')], {
    env: {
      PATH: process.env.PATH,
      PORT: String(gatewayPort),
      MONOLITH_URL: `http://127.0.0.1:${monolithPort}`,
      ROUTES_FILE: routesFile,
      GATEWAY_ADMIN_TOKEN: TOKEN,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const gateway = `http://127.0.0.1:${gatewayPort}`;
  try {
    await Promise.all([started(monolith, 'the stand-in monolith'), started(candidate, 'the stand-in candidate')]);
    await healthy(`${gateway}/_gateway/health`);
    const pid = gatewayProcess.pid as number;
    const runs: Record<'off' | 'on', Measurement[]> = { off: [], on: [] };
    say(`warming up: ${Math.ceil(OPTIONS.requests / 5)} requests`);
    await load(`${gateway}${PATH}`, Math.ceil(OPTIONS.requests / 5), pid, OPTIONS.connections);
    for (let round = 1; round <= OPTIONS.rounds; round++) {
      for (const shadow of ['off', 'on'] as const) {
        if (shadow === 'on') {
          await admin(gateway, 'POST', '/routes/search/shadow', { candidate: 'candidate', sampleRate: 1 });
        } else await admin(gateway, 'PUT', '/routes/search', { target: 'monolith' });
        const measured = await load(
          `${gateway}${PATH}`,
          OPTIONS.requests,
          pid,
          OPTIONS.connections,
          OPTIONS.rate || undefined,
        );
        runs[shadow].push(measured);
        say(
          `round ${round}, shadow ${shadow}: ${fixed(measured.rps, 0)} req/s, p50 ${fixed(measured.p50)} ms, p99 ${fixed(measured.p99)} ms, ${measured.failures} failures`,
        );
      }
    }
    const report = (await admin(gateway, 'GET', '/routes/search/report')) as {
      shadow: { compared: number; skipped: number; failed: number; matchRate: number | null };
    };
    const [off, on] = [runs.off, runs.on];
    const p50 = mean(on.map((m) => m.p50)) / mean(off.map((m) => m.p50));
    const p99 = mean(on.map((m) => m.p99)) / mean(off.map((m) => m.p99));
    const rps = mean(on.map((m) => m.rps)) / mean(off.map((m) => m.rps));
    say('');
    say(
      `Shadow on / off, ${OPTIONS.rounds} rounds of ${OPTIONS.requests} GET ${PATH} at ${OPTIONS.rate ? `${OPTIONS.rate} req/s` : 'full speed'} over ${OPTIONS.connections} connections; stand-in monolith burning ${OPTIONS.workUs} µs/request, candidate answering after ${OPTIONS.candidateDelayMs} ms (node ${process.version}, ${cpus().length} cores, load average ${fixed(loadavg()[0])}):`,
    );
    say(`| | p50 ms | p99 ms | req/s | gateway CPU µs/req |`);
    say(`|---|---|---|---|---|`);
    for (const [name, list] of [
      ['shadow off', off],
      ['shadow on', on],
    ] as const) {
      say(
        `| ${name} | ${fixed(mean(list.map((m) => m.p50)))} | ${fixed(mean(list.map((m) => m.p99)))} | ${fixed(mean(list.map((m) => m.rps)), 0)} | ${fixed(mean(list.map((m) => m.cpuPerRequest)), 0)} |`,
      );
    }
    say(`| on / off | ${fixed(p50)}x | ${fixed(p99)}x | ${fixed(rps)}x | |`);
    say(
      `shadow meanwhile: ${report.shadow.compared} compared, ${report.shadow.skipped} skipped (over maxInFlight), ${report.shadow.failed} failed, match rate ${report.shadow.matchRate === null ? '-' : fixed(report.shadow.matchRate * 100, 1)}%`,
    );
  } finally {
    await Promise.all([stopChild(gatewayProcess), stopChild(monolith), stopChild(candidate)]);
    rmSync(dir, { recursive: true, force: true });
  }
}

runCommand(USAGE, main);
