import type { EndpointResult, FlipPhase, LoadtestResult } from '../result';
import { Comparison, comparisons, stackCpuPerRequest, StageView, stageViews } from './compare';
import { formatDeltaMs, formatMicros, formatMs, formatRatio, formatRps } from './format';
import { barChart, Series } from './svg';

export interface RenderedReport {
  markdown: string;
  /** File name (next to the Markdown) -> SVG text. */
  charts: Record<string, string>;
}

const STAGE_COLORS: Record<string, string> = { direct: '#8c8c8c', before: '#3b6fb6', after: '#2e9d5a' };
const EXTRA_COLORS = ['#d9822b', '#8e5cc4', '#c44e52', '#4bacc6'];
const LATENCY_LAYERS = [
  { name: 'p99', opacity: 0.3 },
  { name: 'p90', opacity: 0.6 },
  { name: 'p50', opacity: 1 },
];

const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
const table = (header: readonly string[], rows: readonly (readonly string[])[]) =>
  [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
const code = (text: string) => `\`${text}\``;

function seriesOf(views: readonly StageView[]): Series[] {
  let extra = 0;
  const used = new Set<string>();
  return views.map((view) => {
    const preferred = STAGE_COLORS[view.stage];
    const color = preferred && !used.has(preferred) ? preferred : EXTRA_COLORS[extra++ % EXTRA_COLORS.length];
    used.add(color);
    return { name: view.label, color };
  });
}

function endpointNames(views: readonly StageView[]): string[] {
  return [...new Set(views.flatMap((view) => view.result.endpoints.map((endpoint) => endpoint.name)))];
}

function processNames(views: readonly StageView[]): string[] {
  return [...new Set(views.flatMap((view) => view.result.cpu.map((row) => row.process)))];
}

function endpointsChart(views: readonly StageView[], subtitle: string): string {
  const names = endpointNames(views);
  const find = (name: string, view: StageView) => view.result.endpoints.find((endpoint) => endpoint.name === name);
  /** Latency of an endpoint that got answers; none drawn for one that got none. */
  const latencyOf = (name: string, view: StageView) => {
    const endpoint = find(name, view);
    return endpoint && endpoint.requests > 0 ? endpoint.latencyMs : undefined;
  };
  return barChart({
    title: 'Throughput and latency per endpoint',
    subtitle,
    groups: names,
    series: seriesOf(views),
    panels: [
      {
        title: 'Throughput, req/s',
        values: names.map((name) => views.map((view) => (find(name, view) ? [find(name, view)?.rps ?? 0] : []))),
        labels: names.map((name) => views.map((view) => formatRps(find(name, view)?.rps))),
      },
      {
        title: 'Latency p50 / p90 / p99, ms',
        layers: LATENCY_LAYERS,
        values: names.map((name) =>
          views.map((view) => {
            const latency = latencyOf(name, view);
            return latency ? [latency.p99, latency.p90, latency.p50] : [];
          }),
        ),
        labels: names.map((name) =>
          views.map((view) => {
            const latency = latencyOf(name, view);
            if (!latency) return find(name, view) ? 'no answer' : '';
            return `${formatMs(latency.p50)} / ${formatMs(latency.p90)} / ${formatMs(latency.p99)}`;
          }),
        ),
      },
    ],
  });
}

function cpuChart(views: readonly StageView[], subtitle: string): string {
  const processes = [...processNames(views), 'stack total'];
  const micros = (process: string, view: StageView) =>
    process === 'stack total'
      ? stackCpuPerRequest(view.result.cpu)
      : view.result.cpu.find((row) => row.process === process)?.perRequestMicros;
  return barChart({
    title: 'CPU time per request, by process',
    subtitle,
    groups: processes,
    series: seriesOf(views),
    panels: [
      {
        title: 'CPU µs per request (user + system)',
        values: processes.map((process) =>
          views.map((view) => {
            const value = micros(process, view);
            return value === undefined ? [] : [value];
          }),
        ),
        labels: processes.map((process) =>
          views.map((view) => {
            const value = micros(process, view);
            const ran =
              process === 'stack total' ||
              view.result.cpu.find((row) => row.process === process)?.cpuMicros !== undefined;
            return ran ? formatMicros(value) : 'not running';
          }),
        ),
      },
    ],
  });
}

function servedBy(counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([name]) => name !== '-');
  return entries.length ? entries.map(([name, count]) => `${name} ${count}`).join(', ') : '–';
}

function endpointTable(views: readonly StageView[]): string {
  const rows = endpointNames(views).flatMap((name) =>
    views.flatMap((view) => {
      const e = view.result.endpoints.find((endpoint) => endpoint.name === name);
      if (!e) return [];
      return [
        [
          code(name),
          view.label,
          formatRps(e.rps),
          ...(e.requests > 0
            ? [
                formatMs(e.latencyMs.p50),
                formatMs(e.latencyMs.p90),
                formatMs(e.latencyMs.p99),
                formatMs(e.latencyMs.max),
              ]
            : ['–', '–', '–', '–']),
          String(e.requests),
          String(e.non2xx),
          String(e.errors),
          servedBy(e.servedBy),
        ],
      ];
    }),
  );
  return table(
    [
      'endpoint',
      'stage',
      'req/s',
      'p50 ms',
      'p90 ms',
      'p99 ms',
      'max ms',
      'requests',
      'non-2xx',
      'errors',
      'served by',
    ],
    rows,
  );
}

function gatewayTable(comparison: Comparison): string {
  return table(
    ['endpoint', 'direct req/s', 'gateway req/s', 'gateway ÷ direct', 'p50 added ms', 'p99 added ms'],
    comparison.endpoints.map((e) => [
      code(e.endpoint),
      formatRps(e.base?.rps),
      formatRps(e.other?.rps),
      formatRatio(e.rps),
      formatDeltaMs(e.p50AddedMs),
      formatDeltaMs(e.p99AddedMs),
    ]),
  );
}

function migrationTable(comparison: Comparison): string {
  return table(
    [
      'endpoint',
      'served by (before → after)',
      'before req/s',
      'after req/s',
      'req/s after ÷ before',
      'p50 after ÷ before',
      'p99 after ÷ before',
    ],
    comparison.endpoints.map((e) => [
      code(e.endpoint),
      `${e.baseTarget} → ${e.otherTarget}`,
      formatRps(e.base?.rps),
      formatRps(e.other?.rps),
      formatRatio(e.rps),
      formatRatio(e.p50),
      formatRatio(e.p99),
    ]),
  );
}

function cpuTable(results: readonly LoadtestResult[], views: readonly StageView[]): string {
  const processes = processNames(views);
  const cell = (process: string, view: StageView) => {
    const entry = view.result.cpu.find((row) => row.process === process);
    if (entry?.cpuMicros === undefined) return 'not running';
    return `${formatMicros(entry.perRequestMicros)} (${(entry.cores ?? 0).toFixed(2)})`;
  };
  const idleCell = (process: string, run: LoadtestResult) => {
    const cores = run.idle.find((row) => row.process === process)?.cores;
    return cores === undefined ? '' : cores.toFixed(2);
  };
  const idleLabel = (index: number) => (results.length > 1 ? `idle, run ${index + 1}: cores busy` : 'idle: cores busy');
  return table(
    [
      'process',
      ...results.map((_run, index) => idleLabel(index)),
      ...views.map((view) => `${view.label}: µs/req (cores busy)`),
    ],
    [
      ...processes.map((process) => [
        process,
        ...results.map((run) => idleCell(process, run)),
        ...views.map((view) => cell(process, view)),
      ]),
      [
        '**stack total** (all but client)',
        ...results.map(() => ''),
        ...views.map((view) => `**${formatMicros(stackCpuPerRequest(view.result.cpu))}**`),
      ],
    ],
  );
}

/** One stage's figures of an endpoint in words, also when nothing came back. */
function outcome(endpoint: EndpointResult | undefined): string {
  if (!endpoint) return 'not measured';
  if (endpoint.requests === 0)
    return `no request completed (${endpoint.errors} errors or timeouts, ${endpoint.non2xx} non-2xx)`;
  const { latencyMs } = endpoint;
  return `${formatRps(endpoint.rps)} req/s, p50 ${formatMs(latencyMs.p50)} ms, p99 ${formatMs(latencyMs.p99)} ms`;
}

/** The sentences at the top: every ratio spelled out with the two numbers it comes from. */
function summary(comparison: Comparison): string[] {
  const { base, other } = comparison;
  const lines: string[] = [];
  const totalRps = `${formatRps(base.result.totals.rps)} → ${formatRps(other.result.totals.rps)} req/s`;
  const stack = comparison.stackCpu;
  const stackText = `${formatMicros(stack.base)} → ${formatMicros(stack.other)} µs of CPU per request for the whole stack (${formatRatio(stack.ratio)})`;
  if (comparison.kind === 'gateway') {
    const gateway = comparison.cpu.find((row) => row.process === 'gateway');
    const p50s = comparison.endpoints.map((e) => e.p50AddedMs).filter((v): v is number => v !== undefined);
    lines.push(
      `**Gateway overhead** (${base.label} vs ${other.label}, same run): total throughput ${formatRatio(comparison.rps)} (${totalRps}); ` +
        `the gateway process spent ${formatMicros(gateway?.other)} µs of CPU per request; ${stackText}.`,
    );
    if (p50s.length) {
      lines.push(
        `Median latency added by the gateway hop: from ${formatDeltaMs(Math.min(...p50s))} to ${formatDeltaMs(Math.max(...p50s))} ms depending on the endpoint` +
          (Math.min(...p50s) < 0 ? ' (a negative difference means the hop is lost in the run’s noise).' : '.'),
      );
    }
  } else {
    const gateway = comparison.cpu.find((row) => row.process === 'gateway');
    lines.push(
      `**After vs before** (same run): total throughput ${formatRatio(comparison.rps)} (${totalRps}); ${stackText}; ` +
        `at ${formatRps(other.result.totals.rps)} req/s the gateway spent ${formatMicros(gateway?.other)} µs of CPU per request.`,
    );
    const parity = other.result.parity ?? [];
    if (parity.length) {
      lines.push(
        `Checked before measuring: ${parity.filter((check) => check.same).length} of ${parity.length} moved GET endpoints ` +
          'answered the same request exactly as the monolith did.',
      );
    }
    for (const e of comparison.endpoints.filter((entry) => entry.baseTarget !== entry.otherTarget)) {
      const moved = `${code(e.endpoint)} (${e.baseTarget} → ${e.otherTarget})`;
      if (e.rps === undefined) {
        lines.push(`${moved}: before, ${outcome(e.base)}; after, ${outcome(e.other)}.`);
        continue;
      }
      lines.push(
        `${moved}: ${formatRatio(e.rps)} the throughput ` +
          `(${formatRps(e.base?.rps)} → ${formatRps(e.other?.rps)} req/s), p50 ${formatRatio(e.p50)} ` +
          `(${formatMs(e.base?.latencyMs.p50)} → ${formatMs(e.other?.latencyMs.p50)} ms), p99 ${formatRatio(e.p99)} ` +
          `(${formatMs(e.base?.latencyMs.p99)} → ${formatMs(e.other?.latencyMs.p99)} ms).`,
      );
    }
  }
  return lines;
}

function flipSection(views: readonly StageView[]): string[] {
  const lines: string[] = [];
  for (const view of views) {
    const flip = view.result.flip;
    if (!flip) continue;
    const total = (of: (phase: FlipPhase) => number) => flip.phases.reduce((sum, phase) => sum + of(phase), 0);
    const flips = flip.phases.length - 1;
    const route = code(flip.route);
    lines.push(
      `**${view.label}**: route ${route} flipped ${flips} time${flips === 1 ? '' : 's'} through the admin API while traffic ran; ` +
        `${total((p) => p.all.non2xx + p.all.errors)} requests failed (non-2xx or errors), ` +
        `${total((p) => p.route.non2xx + p.route.errors)} of them on the route’s endpoints, ` +
        `and ${total((p) => p.all.fallbacks)} were fallbacks.` +
        (flip.refused
          ? ` The gateway refused ${flip.refused} flip${flip.refused === 1 ? '' : 's'}: a write route moves only ` +
            'once its new owner has every write the old one accepted.'
          : ''),
      '',
      table(
        [
          'phase',
          'target',
          'seconds',
          'flip took ms',
          'requests',
          'failed',
          `${route} requests`,
          `${route} failed`,
          `${route} fallbacks`,
          `${route} served by`,
        ],
        flip.phases.map((phase) => [
          String(phase.index),
          phase.target,
          `${phase.startSeconds.toFixed(1)}–${phase.endSeconds.toFixed(1)}`,
          formatMs(phase.flipMs),
          String(phase.all.requests),
          String(phase.all.non2xx + phase.all.errors),
          String(phase.route.requests),
          String(phase.route.non2xx + phase.route.errors),
          String(phase.route.fallbacks),
          servedBy(phase.route.servedBy),
        ]),
      ),
      '',
    );
  }
  return lines.length ? ['## Route flips', '', ...lines] : [];
}

const STORE_KINDS: Record<string, string> = {
  external: 'reached at MONGO_URL',
  mongod: 'a mongod started from PATH',
  docker: 'MongoDB in Docker',
  ferretdb: 'the embedded FerretDB: it scans every document for any query not by _id',
};

function storeText(env: LoadtestResult['environment']): string {
  const how = env.storeKind ? STORE_KINDS[env.storeKind] : undefined;
  return how ? `${env.store} (${how})` : env.store;
}

/** The store and the data size, as the title and the charts name them. */
function dataLine(results: readonly LoadtestResult[]): string {
  const stores = [...new Set(results.map((run) => run.environment.store))];
  const sizes = [...new Set(results.map((run) => run.settings.posts))];
  return `${sizes.join(' / ')} posts on ${stores.join(' / ')}`;
}

function environmentSection(results: readonly LoadtestResult[]): string[] {
  return results.flatMap((run, index) => {
    const env = run.environment;
    const s = run.settings;
    return [
      results.length > 1 ? `**Run ${index + 1}** (${run.runId})` : `Run ${code(run.runId)}`,
      '',
      table(
        ['', ''],
        [
          [
            'machine',
            `${env.cores} cores, ${env.cpuModel}, ${env.platform}; load average at start ${env.loadAverage.join(' / ')}`,
          ],
          [
            'software',
            `Node ${env.node}, transport ${env.transport}, commit ${code(env.commit.slice(0, 12))}${env.dirty ? ' (with uncommitted changes)' : ''}`,
          ],
          ['store', storeText(env)],
          ['services running', env.services.length ? env.services.join(', ') : 'none'],
          ['data', `${s.posts} posts`],
          [
            'load',
            `scenario ${code(s.scenario)}; per stage ${s.warmupSeconds} s warm-up, then ${s.durationSeconds} s or ${s.maxRequests} requests per endpoint; ${s.connections} connections over loopback`,
          ],
          [
            'CPU',
            `utime + stime from /proc/<pid>/stat (${env.clockTicksPerSecond} ticks/s) around the measured window, divided by the requests completed in it`,
          ],
        ],
      ),
      '',
    ];
  });
}

function reproduce(results: readonly LoadtestResult[], name: string): string[] {
  const s = results[0].settings;
  const flip = s.flip ? ` --route ${s.flip.route} --flip-every ${s.flip.everySeconds}s` : '';
  return [
    '## Reproduce',
    '',
    '```sh',
    '# measure again (same settings) and write this report anew',
    `npm run loadtest -- --scenario ${s.scenario} --stage ${s.stages.join(',')} --posts ${s.posts} --duration ${s.durationSeconds}s ` +
      `--warmup ${s.warmupSeconds}s --connections ${s.connections} --requests ${s.maxRequests}${flip} --name ${name}`,
    '# draw this report again from the data it was made from',
    `npm run loadtest:report -- loadtest/reports/${name}.json --name ${name}`,
    '```',
    '',
  ];
}

/** The report of one or more results: Markdown with tables, plus the SVG charts it links. */
export function renderReport(results: readonly LoadtestResult[], name: string): RenderedReport {
  const views = stageViews(results);
  const compared = comparisons(results);
  const first = results[0].settings;
  const subtitle = `${first.scenario} scenario, ${dataLine(results)}, ${first.connections} connections, ${first.durationSeconds} s per stage`;
  const charts = {
    [`${name}-endpoints.svg`]: endpointsChart(views, subtitle),
    [`${name}-cpu.svg`]: cpuChart(views, subtitle),
  };
  const notes = views.flatMap((view) => view.result.notes.map((note) => `- **${view.label}**: ${note}`));
  const gateway = compared.filter((c) => c.kind === 'gateway');
  const migration = compared.filter((c) => c.kind === 'migration');
  const lines = [
    `# Load test: ${views.map((view) => view.label).join(', ')} (${first.scenario} scenario, ${dataLine(results)})`,
    '',
    'Stages: **direct** = the monolith without the gateway; **before** = every route on the monolith, through the gateway; ' +
      '**after** = the extracted routes live on their services, through the gateway. ' +
      'Ratios are only taken between stages of the same run, because the machine’s absolute speed varies from run to run.',
    '',
    ...(compared.length ? ['## Summary', '', ...compared.flatMap(summary).map((line) => `- ${line}`), ''] : []),
    ...(notes.length ? ['## Read this first', '', ...notes, ''] : []),
    '## Throughput and latency per endpoint',
    '',
    `![Throughput and latency per endpoint](${name}-endpoints.svg)`,
    '',
    endpointTable(views),
    '',
    ...(gateway.length
      ? ['## Gateway overhead (before ÷ direct)', '', ...gateway.flatMap((c) => [gatewayTable(c), ''])]
      : []),
    ...(migration.length
      ? ['## Migration (after ÷ before)', '', ...migration.flatMap((c) => [migrationTable(c), ''])]
      : []),
    '## CPU per request',
    '',
    'Each process’s CPU time (user + system) during the measured window divided by the requests completed in it; ' +
      'in brackets, how many cores it kept busy on average. `idle` is how busy each process was with no load at all, before the first stage ' +
      '(background work such as the relay’s polling, included in every stage’s figures: where a stage completed only a few requests ' +
      'per second, it makes up much of a process’s figure). `client` is the load generator itself (autocannon, same machine).',
    '',
    `![CPU per request by process](${name}-cpu.svg)`,
    '',
    cpuTable(results, views),
    '',
    ...flipSection(views),
    '## Environment',
    '',
    ...environmentSection(results),
    ...reproduce(results, name),
  ];
  return { markdown: lines.join('\n'), charts };
}
