import { Random } from '../../datasets/src/generator/random';
import { autocannon, AutocannonResult } from './autocannon';
import type { EndpointResult, RawAutocannon } from './result';
import { allocateConnections, EndpointSpec, Workload } from './scenarios';

/** Sees every response and failed request as it happens (progress, flip phases). */
export interface ResponseObserver {
  response(endpoint: string, status: number, servedBy: string, fallback: boolean): void;
  error(endpoint: string): void;
}

export interface LoadWindow {
  baseUrl: string;
  endpoints: readonly EndpointSpec[];
  workload: Workload;
  connections: number;
  durationSeconds: number;
  /** Per endpoint: the run stops at the duration or at this many requests, whichever comes first. */
  maxRequests: number;
  /** The same seed sends the same sequence of requests, so stages are compared on equal terms. */
  seed: number;
  observer?: ResponseObserver;
}

/** A request that has not answered after this long counts as a timeout (an error). */
const REQUEST_TIMEOUT_SECONDS = 10;

/** Responses by served-by and fallback, tallied from the headers autocannon passes along. */
export interface HeaderTally {
  servedBy: Record<string, number>;
  fallbacks: number;
}

function header(headers: Record<string, string | string[]>, name: string): string | undefined {
  const value = headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : value;
}

/** The figures of one endpoint, taken from autocannon's result as it is (nothing recomputed but req/s). */
export function endpointResult(
  spec: EndpointSpec,
  connections: number,
  raw: AutocannonResult,
  tally: HeaderTally,
): EndpointResult {
  const kept: RawAutocannon = {
    duration: raw.duration,
    requests: { total: raw.requests.total, sent: raw.requests.sent, average: raw.requests.average },
    latency: {
      p50: raw.latency.p50,
      p90: raw.latency.p90,
      p99: raw.latency.p99,
      max: raw.latency.max,
      mean: raw.latency.mean,
      min: raw.latency.min,
    },
    non2xx: raw.non2xx,
    errors: raw.errors,
    timeouts: raw.timeouts,
    statusCodeStats: raw.statusCodeStats,
  };
  return {
    name: spec.name,
    ...(spec.route ? { route: spec.route } : {}),
    connections,
    requests: raw.requests.total,
    rps: raw.duration > 0 ? raw.requests.total / raw.duration : 0,
    latencyMs: {
      p50: raw.latency.p50,
      p90: raw.latency.p90,
      p99: raw.latency.p99,
      max: raw.latency.max,
      mean: raw.latency.mean,
    },
    non2xx: raw.non2xx,
    errors: raw.errors,
    timeouts: raw.timeouts,
    statusCodes: Object.fromEntries(Object.entries(raw.statusCodeStats).map(([code, { count }]) => [code, count])),
    servedBy: tally.servedBy,
    fallbacks: tally.fallbacks,
    autocannon: kept,
  };
}

function runEndpoint(
  window: LoadWindow,
  spec: EndpointSpec,
  index: number,
  connections: number,
): Promise<EndpointResult> {
  const random = new Random(window.seed * 1000 + index);
  const tally: HeaderTally = { servedBy: {}, fallbacks: 0 };
  const { observer, workload } = window;
  const headers: Record<string, string> = spec.method === 'POST' ? { 'content-type': 'application/json' } : {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: window.baseUrl,
        connections,
        duration: window.durationSeconds,
        // Below one request per connection autocannon would not cap a connection at all.
        maxOverallRequests: Math.max(window.maxRequests, connections),
        timeout: REQUEST_TIMEOUT_SECONDS,
        requests: [
          {
            method: spec.method,
            headers,
            setupRequest: (request) => ({ ...request, ...spec.build(random, workload) }),
            onResponse: (status, _body, _context, responseHeaders) => {
              const servedBy = header(responseHeaders, 'x-served-by') ?? '-';
              const fallback = header(responseHeaders, 'x-fallback') !== undefined;
              tally.servedBy[servedBy] = (tally.servedBy[servedBy] ?? 0) + 1;
              if (fallback) tally.fallbacks++;
              observer?.response(spec.name, status, servedBy, fallback);
            },
          },
        ],
      },
      (error, raw) => (error ? reject(error) : resolve(endpointResult(spec, connections, raw, tally))),
    );
    if (observer) instance.on('reqError', () => observer.error(spec.name));
  });
}

/** Drives every endpoint at once, each with its share of the connections, and returns autocannon's figures per endpoint. */
export function driveLoad(window: LoadWindow): Promise<EndpointResult[]> {
  const connections = allocateConnections(
    window.connections,
    window.endpoints.map((spec) => spec.weight),
  );
  return Promise.all(window.endpoints.map((spec, index) => runEndpoint(window, spec, index, connections[index])));
}
