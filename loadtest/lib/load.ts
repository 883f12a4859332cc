/** A fixed number of GETs to one URL with autocannon: throughput, latency percentiles, failures and CPU per request. */
import { performance } from 'node:perf_hooks';
import { autocannon } from './autocannon';
import { cpuMicros } from './cpu';

export interface Measurement {
  rps: number;
  p50: number;
  p99: number;
  failures: number;
  cpuPerRequest: number;
}

export function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A request that has not answered after this long counts as a failure. */
const REQUEST_TIMEOUT_SECONDS = 10;
/** Runs end by request count; this only stops a stuck one. */
const MAX_RUN_SECONDS = 600;

function cpuOf(pid: number): number {
  const micros = cpuMicros(pid);
  if (micros === undefined) throw new Error(`process ${pid} has gone: no CPU figures`);
  return micros;
}

/**
 * Sends `amount` GETs to `url` over `connections` connections, as fast as
 * they are answered or, with `rate`, at that many per second overall; CPU is
 * read from `pid` around the run.
 */
export function load(
  url: string,
  amount: number,
  pid: number,
  connections: number,
  rate?: number,
): Promise<Measurement> {
  const latencies: number[] = [];
  const cpuBefore = cpuOf(pid);
  const startedAt = performance.now();
  let lastAnswerAt = startedAt;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        ...(rate === undefined ? {} : { overallRate: rate }),
        duration: MAX_RUN_SECONDS,
        maxOverallRequests: amount,
        timeout: REQUEST_TIMEOUT_SECONDS,
        requests: [{ method: 'GET' }],
      },
      (error, result) => {
        if (error) return reject(error);
        const cpu = cpuOf(pid) - cpuBefore;
        latencies.sort((a, b) => a - b);
        resolve({
          // autocannon ends a capped run on its next one-second tick, so its duration is not the load's.
          rps: (result.requests.total * 1000) / (lastAnswerAt - startedAt),
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          failures: result.non2xx + result.errors + result.timeouts,
          cpuPerRequest: cpu / result.requests.total,
        });
      },
    );
    // autocannon's own percentiles are whole milliseconds; these keep the microseconds.
    instance.on('response', (_client, _status, _bytes, ms) => {
      latencies.push(ms);
      lastAnswerAt = performance.now();
    });
  });
}
