import type { EndpointResult, LoadtestResult, ProcessCpu, Stage, StageResult } from '../result';
import { ratio } from './format';

/** One stage of one run, with the label it carries in tables and charts. */
export interface StageView {
  label: string;
  stage: Stage;
  run: LoadtestResult;
  result: StageResult;
}

export interface EndpointComparison {
  endpoint: string;
  route?: string;
  /** Where the route sent requests in the base and in the other stage. */
  baseTarget: string;
  otherTarget: string;
  base?: EndpointResult;
  other?: EndpointResult;
  rps?: number;
  p50?: number;
  p90?: number;
  p99?: number;
  p50AddedMs?: number;
  p99AddedMs?: number;
}

export interface CpuComparison {
  process: string;
  base?: number;
  other?: number;
  ratio?: number;
}

/** Two stages of the same run: `gateway` is before ÷ direct, `migration` is after ÷ before. */
export interface Comparison {
  kind: 'gateway' | 'migration';
  base: StageView;
  other: StageView;
  rps?: number;
  endpoints: EndpointComparison[];
  cpu: CpuComparison[];
  stackCpu: CpuComparison;
}

const STACK = 'stack total';

/** Labels are the stage names; when several runs are shown together, the run number is added. */
export function stageViews(results: readonly LoadtestResult[]): StageView[] {
  return results.flatMap((run, index) =>
    run.stages.map((result) => ({
      label: results.length > 1 ? `${result.stage} (run ${index + 1})` : result.stage,
      stage: result.stage,
      run,
      result,
    })),
  );
}

/** CPU microseconds per request of the whole stack: every process but the load generator; none without requests. */
export function stackCpuPerRequest(cpu: readonly ProcessCpu[]): number | undefined {
  const rows = cpu.filter((row) => row.process !== 'client' && row.perRequestMicros !== undefined);
  return rows.length ? rows.reduce((sum, row) => sum + (row.perRequestMicros ?? 0), 0) : undefined;
}

function targetOf(view: StageView, route: string | undefined): string {
  if (view.stage === 'direct') return 'monolith (direct)';
  return route ? (view.result.routes[route] ?? 'monolith') : 'monolith';
}

function compareStages(kind: Comparison['kind'], base: StageView, other: StageView): Comparison {
  const names = [...new Set([...base.result.endpoints, ...other.result.endpoints].map((e) => e.name))];
  const endpoints = names.map((name): EndpointComparison => {
    const a = base.result.endpoints.find((e) => e.name === name);
    const b = other.result.endpoints.find((e) => e.name === name);
    const route = a?.route ?? b?.route;
    // Latency exists only where responses came back; autocannon writes zeros for an endpoint without any.
    const answered = a !== undefined && b !== undefined && a.requests > 0 && b.requests > 0;
    const latencyRatio = (p: 'p50' | 'p90' | 'p99') => (answered ? ratio(a.latencyMs[p], b.latencyMs[p]) : undefined);
    return {
      endpoint: name,
      ...(route ? { route } : {}),
      baseTarget: targetOf(base, route),
      otherTarget: targetOf(other, route),
      base: a,
      other: b,
      rps: answered ? ratio(a.rps, b.rps) : undefined,
      p50: latencyRatio('p50'),
      p90: latencyRatio('p90'),
      p99: latencyRatio('p99'),
      p50AddedMs: answered ? b.latencyMs.p50 - a.latencyMs.p50 : undefined,
      p99AddedMs: answered ? b.latencyMs.p99 - a.latencyMs.p99 : undefined,
    };
  });
  const processes = [...new Set([...base.result.cpu, ...other.result.cpu].map((row) => row.process))];
  const cpu = processes.map((process): CpuComparison => {
    const a = base.result.cpu.find((row) => row.process === process)?.perRequestMicros;
    const b = other.result.cpu.find((row) => row.process === process)?.perRequestMicros;
    return { process, base: a, other: b, ratio: ratio(a, b) };
  });
  const stackBase = stackCpuPerRequest(base.result.cpu);
  const stackOther = stackCpuPerRequest(other.result.cpu);
  return {
    kind,
    base,
    other,
    rps: ratio(base.result.totals.rps, other.result.totals.rps),
    endpoints,
    cpu,
    stackCpu: { process: STACK, base: stackBase, other: stackOther, ratio: ratio(stackBase, stackOther) },
  };
}

/** The comparisons a set of results supports: only stages of the same run are ever compared. */
export function comparisons(results: readonly LoadtestResult[]): Comparison[] {
  const views = stageViews(results);
  return results.flatMap((run) => {
    const find = (stage: Stage) => views.find((view) => view.run === run && view.stage === stage);
    const direct = find('direct');
    const before = find('before');
    const after = find('after');
    return [
      ...(direct && before ? [compareStages('gateway', direct, before)] : []),
      ...(before && after ? [compareStages('migration', before, after)] : []),
    ];
  });
}
