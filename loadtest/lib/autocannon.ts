/** The part of autocannon's programmatic API the load tests use (the package ships no types). */

/** Latency percentiles and extremes, in milliseconds, as autocannon reports them. */
export interface AutocannonLatency {
  average: number;
  mean: number;
  stddev: number;
  min: number;
  max: number;
  p2_5: number;
  p50: number;
  p75: number;
  p90: number;
  p97_5: number;
  p99: number;
  p99_9: number;
  totalCount: number;
}

/** What autocannon hands to its callback when a run ends. */
export interface AutocannonResult {
  url: string;
  connections: number;
  duration: number;
  start: string | Date;
  finish: string | Date;
  errors: number;
  timeouts: number;
  non2xx: number;
  resets: number;
  '1xx': number;
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
  statusCodeStats: Record<string, { count: number }>;
  latency: AutocannonLatency;
  requests: { average: number; mean: number; total: number; sent: number; min: number; max: number };
  throughput: { average: number; total: number };
}

export interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Rebuilds the request before each send; returning it unchanged keeps it. */
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
  /** Called with every response to this request; headers keep the case the server sent. */
  onResponse?: (status: number, body: string, context: unknown, headers: Record<string, string | string[]>) => void;
}

export interface AutocannonOptions {
  url: string;
  connections: number;
  /** Seconds; the run stops at whichever of duration and maxOverallRequests comes first. */
  duration: number;
  maxOverallRequests: number;
  /** Seconds before a request counts as timed out. */
  timeout: number;
  requests: AutocannonRequest[];
}

export interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  on(event: 'reqError', listener: (error: Error) => void): void;
  stop(): void;
}

export type Autocannon = (
  options: AutocannonOptions,
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

export const autocannon = require('autocannon') as Autocannon;
