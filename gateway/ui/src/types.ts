// Shapes of the gateway's JSON the page reads (gateway/src/dashboard, gateway/src/admin).

export type RouteState = 'monolith' | 'shadow' | 'canary' | 'live';
export type BreakerState = 'closed' | 'halfOpen' | 'open';

export interface RouteView {
  name: string;
  match: { path: string; methods?: string[] }[];
  target: string;
  mode?: string;
  state?: RouteState;
  candidate?: string | null;
  weight?: number;
  previous: string | null;
}

export interface WindowSide {
  requests: number;
  errors: number;
  errorRate: number | null;
  p99Ms: number | null;
}

export interface ShadowExample {
  at: string;
  url: string;
  paths: string[];
  target: { status: number; body: string };
  candidate: { status: number; body: string };
}

/** GET /_gateway/routes/:name/report: how a route's candidate compares with its target. */
export interface RouteReport {
  name: string;
  state: RouteState;
  target: string;
  candidate: string | null;
  weight: number;
  window: { monolith: WindowSide; candidate: WindowSide };
  shadow: {
    compared: number;
    matched?: number;
    matchRate: number | null;
    skipped?: number;
    failed?: number;
    noiseFields: string[];
    fields: { path: string; count: number; rate: number }[];
    examples: ShadowExample[];
  };
  promotion: { steps: number[]; dwellMs: number; step?: number; since?: string; nextAt?: string | null } | null;
  lastVerdict: { at: string; verdict: string; reason: string } | null;
}

export interface TrafficCounts {
  route: string;
  target: string;
  requests: number;
  errors: number;
  latency: number[];
}

export interface Overview {
  at: string;
  default: string;
  targets: { name: string; type: string }[];
  routes: RouteView[];
  latencyBuckets: number[];
  traffic: TrafficCounts[];
  breakers: Record<string, BreakerState>;
}

export interface AuditEntry {
  at: string;
  who: string;
  principal?: string;
  route: string;
  from: string | null;
  to: string | null;
  mode?: string | null;
  state?: string | null;
  candidate?: string | null;
  weight?: number | null;
  why?: string | null;
}

export interface DriftSummary {
  projection: string;
  monolithCount: number;
  serviceCount: number;
  missing: number;
  extra: number;
  different: number;
  examples: {
    missing: string[];
    extra: string[];
    different: { key: string; field: string; monolith: unknown; service: unknown }[];
  };
}

export interface DriftReport {
  at: string;
  services: { service: string; drift: boolean; projections: DriftSummary[] }[];
}

/** A route's state, also for a gateway that only knows live routes (state = where it goes). */
export function stateOf(route: RouteView, defaultTarget: string): RouteState {
  return route.state ?? (route.target === defaultTarget ? 'monolith' : 'live');
}
