import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemoPosts } from '../datasets/src';
import { formatMs, formatRps } from '../loadtest/lib/report/format';
import { renderReport } from '../loadtest/lib/report/markdown';
import { Progress } from '../loadtest/lib/progress';
import type { LoadtestResult, Settings, StageResult } from '../loadtest/lib/result';
import { runStages } from '../loadtest/lib/run';
import { SCENARIOS } from '../loadtest/lib/scenarios';
import { builtServices, Stack, StackProcessName, startLoadtestStack } from '../loadtest/lib/stack';
import { expectWellFormedSvg, tableRows } from '../loadtest/lib/testing/report';
import { generatedWorkload, workloadFingerprint } from '../loadtest/lib/workload';

const ROOT = join(__dirname, '..');
const LOADTEST_CLI = join(ROOT, 'dist', 'loadtest', 'loadtest.cli.js');
const REPORT_CLI = join(ROOT, 'dist', 'loadtest', 'report.cli.js');

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a compiled CLI; `track` receives the child so afterAll can stop it if the test gives up first. */
function run(script: string, args: string[], track: (child: ChildProcess) => void): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    track(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const sum = <T>(items: readonly T[], of: (item: T) => number) => items.reduce((total, item) => total + of(item), 0);

describe('npm run loadtest -- --compare at tiny settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strangler-loadtest-'));
  const children: ChildProcess[] = [];
  let finished: Finished;
  let result: LoadtestResult;

  beforeAll(async () => {
    finished = await run(
      LOADTEST_CLI,
      [
        '--compare',
        '--duration',
        '2s',
        '--warmup',
        '1s',
        '--connections',
        '2',
        '--posts',
        '200',
        '--name',
        'tiny',
      ].concat([
        '--data-dir',
        join(dir, 'data'),
        '--results-dir',
        join(dir, 'results'),
        '--reports-dir',
        join(dir, 'reports'),
      ]),
      (child) => children.push(child),
    );
    if (finished.code === 0)
      result = JSON.parse(readFileSync(join(dir, 'results', 'tiny.json'), 'utf8')) as LoadtestResult;
  }, 400_000);

  afterAll(() => {
    // The CLI stops its own stack; a child still running here was abandoned by a timed-out test.
    for (const child of children) if (child.exitCode === null) child.kill('SIGINT');
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 and tells on the terminal which stage runs, how fast, and where the result and report are', () => {
    expect({ code: finished.code, stderr: finished.stderr }).toEqual({ code: 0, stderr: '' });
    for (const stage of ['direct', 'before', 'after'])
      expect(finished.stdout).toMatch(new RegExp(`\\[${stage}\\] \\d+ requests in [\\d.]+s: \\d+ req/s`));
    expect(finished.stdout).toContain(`result: ${join(dir, 'results', 'tiny.json')}`);
    expect(finished.stdout).toContain(`report: ${join(dir, 'reports', 'tiny.md')}`);
    expect(finished.stdout).toMatch(/gateway ÷ direct: throughput [\d.]+×/);
  });

  it('writes a result with the three stages, every endpoint of the scenario, and consistent figures', () => {
    expect(result.settings).toMatchObject({
      scenario: 'mixed',
      stages: ['direct', 'before', 'after'],
      durationSeconds: 2,
      connections: 2,
      posts: 200,
    });
    expect(result.stages.map((stage) => stage.stage)).toEqual(['direct', 'before', 'after']);
    for (const stage of result.stages) {
      expect(stage.endpoints.map((endpoint) => endpoint.name)).toEqual(SCENARIOS.mixed.map((spec) => spec.name));
      expect(stage.totals.requests).toBe(sum(stage.endpoints, (e) => e.requests));
      expect(stage.totals.requests).toBeGreaterThan(0);
      for (const e of stage.endpoints) {
        expect(Number.isInteger(e.requests)).toBe(true);
        expect(e.rps).toBeCloseTo(e.autocannon.requests.total / e.autocannon.duration, 10);
        if (e.requests > 0) {
          expect(e.latencyMs.p50).toBeLessThanOrEqual(e.latencyMs.p90);
          expect(e.latencyMs.p90).toBeLessThanOrEqual(e.latencyMs.p99);
          expect(e.latencyMs.p99).toBeLessThanOrEqual(e.latencyMs.max);
        }
        expect(sum(Object.values(e.statusCodes), (count) => count)).toBe(e.requests);
      }
    }
  });

  it('measures the CPU of every process of the stack from /proc, the store included, at rest and under load', () => {
    const expected = ['gateway', 'monolith', ...builtServices(), 'sync', 'store', 'client'];
    expect(result.idle.map((row) => row.process)).toEqual(expected.slice(0, -1));
    for (const row of result.idle) expect(row.cores).toBeGreaterThanOrEqual(0);
    for (const stage of result.stages) {
      expect(stage.cpu.map((row) => row.process)).toEqual(expected);
      for (const row of stage.cpu) {
        expect(row.pid).toEqual(expect.any(Number));
        expect(row.cpuMicros).toBeGreaterThanOrEqual(0);
        expect(row.perRequestMicros).toBeCloseTo((row.cpuMicros as number) / stage.totals.requests, 6);
      }
    }
  });

  it('records the environment: cores, Node, transport, store and commit', () => {
    expect(result.environment).toMatchObject({
      cores: cpus().length,
      node: process.version,
      transport: 'tcp',
      services: builtServices(),
    });
    expect(result.environment.commit).toMatch(/^[0-9a-f]{40}$/);
    // The store as its server names itself, reached the way the test harness reached its own.
    expect(result.environment.storeKind).toBe(process.env.TEST_STORE_KIND);
    expect(result.environment.store).toMatch(/^(MongoDB|FerretDB) \d+\.\d+/);
  });

  it('tells which backend answered each response in the gateway stages, and nothing in the direct one', () => {
    const [direct, before] = result.stages;
    for (const e of direct.endpoints) expect(Object.keys(e.servedBy)).toEqual(e.requests ? ['-'] : []);
    for (const e of before.endpoints) {
      expect(sum(Object.values(e.servedBy), (count) => count)).toBe(e.requests);
      expect(Object.keys(e.servedBy).every((name) => name === 'monolith' || name === 'gateway')).toBe(true);
    }
  });

  it('writes a report whose endpoint figures are autocannon’s own, with two well-formed charts', () => {
    const markdown = readFileSync(join(dir, 'reports', 'tiny.md'), 'utf8');
    const rows = tableRows(markdown, 'endpoint | stage');
    expect(rows).toHaveLength(3 * SCENARIOS.mixed.length);
    for (const [endpoint, stage, rps, p50, p90, p99, max, requests, non2xx, errors] of rows) {
      const raw = result.stages
        .find((s) => s.stage === stage)
        ?.endpoints.find((e) => `\`${e.name}\`` === endpoint)?.autocannon;
      if (!raw) throw new Error(`${endpoint} ${stage} is not in the result`);
      const latency = [raw.latency.p50, raw.latency.p90, raw.latency.p99, raw.latency.max];
      expect([rps, p50, p90, p99, max, requests, non2xx, errors]).toEqual([
        formatRps(raw.requests.total / raw.duration),
        ...latency.map((ms) => (raw.requests.total > 0 ? formatMs(ms) : '–')),
        String(raw.requests.total),
        String(raw.non2xx),
        String(raw.errors),
      ]);
    }
    expect(markdown).toContain('**Gateway overhead** (direct vs before, same run)');
    expect(markdown).toContain('**After vs before** (same run)');
    for (const chart of ['tiny-endpoints.svg', 'tiny-cpu.svg'])
      expectWellFormedSvg(readFileSync(join(dir, 'reports', chart), 'utf8'));
    expect(JSON.parse(readFileSync(join(dir, 'reports', 'tiny.json'), 'utf8'))).toEqual([result]);
  });

  it('draws the same report again from the saved result with npm run loadtest:report', async () => {
    const redraw = await run(
      REPORT_CLI,
      [join(dir, 'results', 'tiny.json'), '--name', 'tiny-redrawn', '--reports-dir', join(dir, 'reports')],
      (child) => children.push(child),
    );
    expect(redraw).toMatchObject({ code: 0, stdout: `report: ${join(dir, 'reports', 'tiny-redrawn.md')}\n` });
    const redrawn = readFileSync(join(dir, 'reports', 'tiny-redrawn.md'), 'utf8').replaceAll('tiny-redrawn', 'tiny');
    expect(redrawn).toBe(readFileSync(join(dir, 'reports', 'tiny.md'), 'utf8'));
  });
});

describe('the flip scenario', () => {
  const POSTS = 30;
  const dir = mkdtempSync(join(tmpdir(), 'strangler-loadtest-flip-'));
  const services = builtServices();
  let stack: Stack;
  const progress = new Progress({ write: () => true });

  const flip = (route: string): Settings => ({
    scenario: 'flip',
    stages: ['before'],
    // Phases long enough for every endpoint's connection to send requests in each of them.
    durationSeconds: 8,
    warmupSeconds: 0,
    connections: 2,
    maxRequests: 100_000,
    posts: POSTS,
    flip: { route, everySeconds: 2.5 },
  });

  beforeAll(async () => {
    stack = await startLoadtestStack({
      dataDir: dir,
      services,
      gateway: true,
      log: () => undefined,
      beforeApps: async (mongoUrl) => {
        await seedDemoPosts(mongoUrl, 'reddit', POSTS);
      },
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Stops the service (if it runs at all), then flips its route to it and back under load. */
  async function flipWhileDown(
    route: string,
    service: StackProcessName,
  ): Promise<{ result: LoadtestResult; stage: StageResult }> {
    if (stack.process(service)?.child.exitCode === null) stack.kill(service);
    const workload = generatedWorkload(POSTS, 1);
    const result = await runStages(flip(route), { stack, services, workload, progress }, `flip-${route}`);
    return { result, stage: result.stages[0] };
  }

  it('refuses to move the engagement route to a service that is down, so no write fails', async () => {
    const { result, stage } = await flipWhileDown('engagement', 'engagement');
    const phases = stage.flip?.phases ?? [];

    // Every flip towards the dead service is refused; the route stays on the monolith.
    expect(stage.flip?.refused).toBeGreaterThan(0);
    expect(new Set(phases.map((phase) => phase.target))).toEqual(new Set(['monolith']));
    const likes = stage.endpoints.find((e) => e.name === 'POST /posts/:id/likes');
    expect(Object.keys(likes?.statusCodes ?? {})).toEqual(['202']);
    // Every response and failure the endpoints counted is in exactly one phase.
    expect(sum(phases, (phase) => phase.all.requests)).toBe(stage.totals.requests);
    expect(renderReport([result], 'flip').markdown).toContain(`The gateway refused ${stage.flip?.refused} flip`);
  }, 90_000);

  it('counts the GETs the monolith answered as fallbacks while the search route points at a search service that is down', async () => {
    const { stage } = await flipWhileDown('search', 'search');
    const phases = stage.flip?.phases ?? [];

    expect(
      sum(
        phases.filter((phase) => phase.target === 'search'),
        (phase) => phase.route.fallbacks,
      ),
    ).toBeGreaterThan(0);
    expect(sum(phases, (phase) => phase.all.fallbacks)).toBe(stage.totals.fallbacks);
    expect(sum(phases, (phase) => phase.route.non2xx + phase.route.errors)).toBe(0);
    const search = stage.endpoints.find((e) => e.name === 'GET /search');
    expect(search?.servedBy).toEqual({ monolith: search?.requests });
  }, 90_000);
});

describe('a stack that cannot come up', () => {
  it('makes npm run loadtest say so and exit 1 instead of measuring', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strangler-loadtest-broken-'));
    try {
      // A data folder whose marker claims a seed but whose store folder is a file: the store cannot start.
      const data = join(dir, 'data');
      mkdirSync(data);
      const fingerprint = workloadFingerprint(generatedWorkload(10, 1));
      writeFileSync(
        join(data, 'seeded.json'),
        JSON.stringify({ posts: 10, services: builtServices(), drift: {}, fingerprint }),
      );
      writeFileSync(join(data, 'ferretdb'), 'not a folder');
      const results = join(dir, 'results');
      const finished = await run(
        LOADTEST_CLI,
        ['--stage', 'direct', '--posts', '10', '--duration', '1s', '--data-dir', data, '--results-dir', results],
        () => undefined,
      );
      expect(finished.code).toBe(1);
      expect(finished.stdout).toContain('loadtest: the stack did not come up, so nothing was measured.');
      expect(readdirSync(dir)).not.toContain('results');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
