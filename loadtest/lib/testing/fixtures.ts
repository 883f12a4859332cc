import type { AutocannonResult } from '../autocannon';
import { endpointResult, HeaderTally } from '../measure';
import type { EndpointResult, LoadtestResult, ProcessCpu, Stage, StageResult } from '../result';
import { RESULT_FORMAT } from '../result';
import type { EndpointSpec } from '../scenarios';

/** An autocannon result shaped exactly like the real one (fields the harness does not read included). */
export function anAutocannonResult(figures: {
  total: number;
  duration: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx?: number;
  errors?: number;
}): AutocannonResult {
  const non2xx = figures.non2xx ?? 0;
  const errors = figures.errors ?? 0;
  return {
    url: 'http://127.0.0.1:3000',
    connections: 4,
    duration: figures.duration,
    start: '2025-01-01T00:00:00.000Z',
    finish: '2025-01-01T00:00:10.000Z',
    errors,
    timeouts: 0,
    non2xx,
    resets: 0,
    '1xx': 0,
    '2xx': figures.total - non2xx,
    '3xx': 0,
    '4xx': 0,
    '5xx': non2xx,
    statusCodeStats: { '200': { count: figures.total - non2xx }, ...(non2xx ? { '503': { count: non2xx } } : {}) },
    latency: {
      average: figures.p50 * 1.1,
      mean: figures.p50 * 1.1,
      stddev: 1.5,
      min: figures.p50 / 2,
      max: figures.max,
      p2_5: figures.p50 / 2,
      p50: figures.p50,
      p75: (figures.p50 + figures.p90) / 2,
      p90: figures.p90,
      p97_5: (figures.p90 + figures.p99) / 2,
      p99: figures.p99,
      p99_9: figures.max,
      totalCount: figures.total,
    },
    requests: {
      average: figures.total / figures.duration,
      mean: figures.total / figures.duration,
      total: figures.total,
      sent: figures.total + 4,
      min: 1,
      max: figures.total,
    },
    throughput: { average: 1000, total: figures.total * 500 },
  };
}

const spec = (name: string, route?: string): EndpointSpec => ({
  name,
  method: name.startsWith('POST') ? 'POST' : 'GET',
  ...(route ? { route } : {}),
  weight: 1,
  build: () => ({ path: '/' }),
});

export function anEndpoint(
  name: string,
  route: string | undefined,
  raw: AutocannonResult,
  tally: HeaderTally = { servedBy: {}, fallbacks: 0 },
): EndpointResult {
  return endpointResult(spec(name, route), raw.connections, raw, tally);
}

export function aStage(
  stage: Stage,
  endpoints: EndpointResult[],
  cpu: ProcessCpu[],
  extra: Partial<StageResult> = {},
): StageResult {
  return {
    stage,
    startedAt: '2025-01-01T00:00:00.000Z',
    windowSeconds: 10,
    routes: stage === 'direct' ? {} : { search: stage === 'after' ? 'search' : 'monolith' },
    notes: [],
    endpoints,
    totals: {
      requests: endpoints.reduce((sum, e) => sum + e.requests, 0),
      rps: endpoints.reduce((sum, e) => sum + e.rps, 0),
      non2xx: endpoints.reduce((sum, e) => sum + e.non2xx, 0),
      errors: endpoints.reduce((sum, e) => sum + e.errors, 0),
      timeouts: 0,
      fallbacks: endpoints.reduce((sum, e) => sum + e.fallbacks, 0),
    },
    cpu,
    ...extra,
  };
}

export function aCpuRow(process: string, perRequestMicros: number | undefined, requests = 1000): ProcessCpu {
  return perRequestMicros === undefined
    ? { process }
    : { process, pid: 100, cpuMicros: perRequestMicros * requests, perRequestMicros, cores: 0.5 };
}

export function aResult(stages: StageResult[], runId = 'run-1'): LoadtestResult {
  return {
    format: RESULT_FORMAT,
    runId,
    settings: {
      scenario: 'reads',
      stages: stages.map((s) => s.stage),
      durationSeconds: 10,
      warmupSeconds: 2,
      connections: 8,
      maxRequests: 100000,
      posts: 1000,
    },
    environment: {
      cores: 2,
      cpuModel: 'Test CPU',
      node: 'v20.0.0',
      platform: 'linux x64',
      transport: 'tcp',
      store: 'FerretDB 1.24.2 (MongoDB 7.0.42 protocol)',
      storeKind: 'ferretdb',
      commit: '0123456789abcdef0123',
      dirty: false,
      clockTicksPerSecond: 100,
      loadAverage: [0.5, 0.4, 0.3],
      services: ['search'],
    },
    idle: [
      { process: 'gateway', cores: 0.01 },
      { process: 'monolith', cores: 0.02 },
      { process: 'search', cores: 0 },
      { process: 'store', cores: 0.05 },
    ],
    stages,
  };
}

/**
 * A direct / before / after run of two endpoints: /posts/:id stays on the
 * monolith, /search moves to the search service and gets 4x faster.
 */
export function aThreeStageRun(runId = 'run-1'): LoadtestResult {
  const posts = (total: number, p50: number) =>
    anAutocannonResult({ total, duration: 10, p50, p90: p50 * 2, p99: p50 * 4, max: p50 * 8 });
  return aResult(
    [
      aStage(
        'direct',
        [anEndpoint('GET /posts/:id', undefined, posts(5000, 2)), anEndpoint('GET /search', 'search', posts(1000, 10))],
        [
          aCpuRow('gateway', 0),
          aCpuRow('monolith', 400),
          aCpuRow('search', 5),
          aCpuRow('store', 600),
          aCpuRow('client', 100),
        ],
      ),
      aStage(
        'before',
        [
          anEndpoint('GET /posts/:id', undefined, posts(4000, 2.5), { servedBy: { monolith: 4000 }, fallbacks: 0 }),
          anEndpoint('GET /search', 'search', posts(800, 12.5), { servedBy: { monolith: 800 }, fallbacks: 0 }),
        ],
        [
          aCpuRow('gateway', 200),
          aCpuRow('monolith', 400),
          aCpuRow('search', 5),
          aCpuRow('store', 600),
          aCpuRow('client', 120),
        ],
      ),
      aStage(
        'after',
        [
          anEndpoint('GET /posts/:id', undefined, posts(4000, 2.5), { servedBy: { monolith: 4000 }, fallbacks: 0 }),
          anEndpoint('GET /search', 'search', posts(3200, 3), { servedBy: { search: 3200 }, fallbacks: 0 }),
        ],
        [
          aCpuRow('gateway', 200),
          aCpuRow('monolith', 300),
          aCpuRow('search', 100),
          aCpuRow('store', 200),
          aCpuRow('client', 120),
        ],
      ),
    ],
    runId,
  );
}
