/** The JSON one `npm run loadtest` writes: every stage it ran, measured in the same run. */

export const RESULT_FORMAT = 'strangler-loadtest/1';

export const STAGES = ['direct', 'before', 'after'] as const;
/** direct: the monolith without the gateway; before: every route on the monolith through the gateway; after: extracted routes live. */
export type Stage = (typeof STAGES)[number];

export const SCENARIO_NAMES = ['reads', 'writes', 'mixed', 'flip'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface LatencyMs {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface EndpointResult {
  /** `GET /search`: method and path template. */
  name: string;
  /** Gateway route the endpoint belongs to; absent when it falls to the default target. */
  route?: string;
  connections: number;
  requests: number;
  /** Completed requests per second over autocannon's own duration. */
  rps: number;
  latencyMs: LatencyMs;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Responses by their `x-served-by` header (`-` when there is none: no gateway on the way). */
  servedBy: Record<string, number>;
  /** Responses the gateway served from the monolith because the route's target failed (`x-fallback`). */
  fallbacks: number;
  /** autocannon's own numbers, kept so every figure above can be checked against them. */
  autocannon: RawAutocannon;
}

export interface RawAutocannon {
  duration: number;
  requests: { total: number; sent: number; average: number };
  latency: { p50: number; p90: number; p99: number; max: number; mean: number; min: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}

export interface ProcessCpu {
  /** gateway, monolith, a service, sync, store, or client (this process, which runs autocannon). */
  process: string;
  pid?: number;
  /** utime + stime used during the measured window; absent when the process was not running. */
  cpuMicros?: number;
  /** cpuMicros divided by the requests completed in the window; absent when none completed. */
  perRequestMicros?: number;
  /** Share of one core over the window (1 = one core busy all the time). */
  cores?: number;
}

/** Cores a process kept busy with no load, sampled before the first stage. */
export interface IdleCpu {
  process: string;
  cores?: number;
}

/** Responses and failures counted during one flip phase. */
export interface PhaseCounts {
  requests: number;
  non2xx: number;
  errors: number;
  fallbacks: number;
  servedBy: Record<string, number>;
}

export interface FlipPhase {
  index: number;
  /** The route's target during the phase. */
  target: string;
  startSeconds: number;
  endSeconds: number;
  /** How long the admin API took to apply the flip that opened the phase (0 for the first phase). */
  flipMs: number;
  /** All the traffic. */
  all: PhaseCounts;
  /** Only the endpoints of the flipped route. */
  route: PhaseCounts;
}

export interface ParityCheck {
  endpoint: string;
  request: string;
  /** The service answered, and exactly as the monolith did. */
  same: boolean;
  /** The gateway fell back to the monolith instead. */
  fallback: boolean;
  detail: string;
}

export interface StageResult {
  stage: Stage;
  startedAt: string;
  /** Wall time of the measured window (warm-up excluded). */
  windowSeconds: number;
  /** Where each gateway route sent its requests during the stage (empty for direct). */
  routes: Record<string, string>;
  /** Things a reader must know to trust the numbers (a route left on the monolith, fallbacks, ...). */
  notes: string[];
  endpoints: EndpointResult[];
  totals: { requests: number; rps: number; non2xx: number; errors: number; timeouts: number; fallbacks: number };
  cpu: ProcessCpu[];
  /** After stage: the same request answered by the monolith and by the extracted service. */
  parity?: ParityCheck[];
  /** `refused`: flips the gateway turned down (a write route's new owner could not confirm it holds every write). */
  flip?: { route: string; phases: FlipPhase[]; refused?: number };
}

export interface Environment {
  cores: number;
  cpuModel: string;
  node: string;
  platform: string;
  transport: string;
  /** The store as its server names itself in `buildInfo`: `MongoDB 8.0.4`, `FerretDB 1.24.2 (MongoDB 7.0.42 protocol)`. */
  store: string;
  /** How the store was reached: external (MONGO_URL), mongod, docker or ferretdb (embedded); absent in older results. */
  storeKind?: string;
  commit: string;
  /** Uncommitted changes in the working tree when the run started. */
  dirty: boolean;
  clockTicksPerSecond: number;
  /** 1, 5 and 15 minute load averages when the run started: other work on the machine. */
  loadAverage: number[];
  /** Extracted services that were built and running. */
  services: string[];
}

export interface Settings {
  scenario: ScenarioName;
  stages: Stage[];
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  /** Cap on requests per endpoint per stage, next to the duration. */
  maxRequests: number;
  posts: number;
  flip?: { route: string; everySeconds: number };
}

export interface LoadtestResult {
  format: typeof RESULT_FORMAT;
  /** Shared by every stage of one command: only stages of one run are compared. */
  runId: string;
  settings: Settings;
  environment: Environment;
  /** The stack at rest before the first stage: background work (the relay's polling, ...) per process. */
  idle: IdleCpu[];
  stages: StageResult[];
}
