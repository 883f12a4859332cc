import { userInfo } from 'node:os';
import { IsOptional, Matches } from 'class-validator';
import {
  ADMIN_TOKEN_FILE_NAME,
  ConfigError,
  GatewayClientEnv,
  USAGE_EXIT,
  UsageError,
  adminTokenOf,
  integerOption,
  loadConfig,
  parseCommandLine,
  withRunningStack,
} from '@app/config';
import { RESERVED_ADMIN_USERS } from '../admin/admin-user.decorator';
import type { RouteReport } from '../delivery/delivery-monitor.service';
import type { RouteTableView, RouteView } from '../routes/route-table.service';

export class RouteCliEnv extends GatewayClientEnv {
  /** Who the audit log names for the changes; default: the user running the command. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._@:-]{1,64}$/, { message: 'GATEWAY_ADMIN_USER must be 1-64 letters, digits or . _ @ : -' })
  GATEWAY_ADMIN_USER?: string;
}

/** The name sent as x-admin-user: the configured one, else the login name if the gateway would take it. */
function adminUserOf(config: RouteCliEnv): Record<string, string> {
  let name = config.GATEWAY_ADMIN_USER;
  if (!name) {
    try {
      name = userInfo().username;
    } catch {
      return {};
    }
  }
  return /^[A-Za-z0-9._@:-]{1,64}$/.test(name) && !RESERVED_ADMIN_USERS.includes(name.toLowerCase())
    ? { 'x-admin-user': name }
    : {};
}

export const USAGE = `usage: npm run route -- <command> [--reason <why>]
  list                              every route with its state, target, candidate and previous target
  set <route> <target>              send a route to a target (monolith, search, recommendations, tagging, engagement)
  shadow <route> <candidate> [--sample-rate <0..1>]
                                    the target answers; safe requests are also sent to the candidate and compared
  canary <route> <candidate> <weight>
                                    send <weight> % of safe requests to the candidate, sticky per client
  promote <route>                   shadow -> canary at the first step, canary -> next step, last step -> live
  rollback <route>                  drop the candidate (shadow, canary), or send a live route back to the monolith
  report <route> [--json]           state, weights, the window's figures, the shadow's match rate and example diffs
  reset                             send every route back to the default target (the monolith)
environment: GATEWAY_URL (default: the running npm start's gateway, else http://127.0.0.1:3000),
  GATEWAY_ADMIN_TOKEN (default: the one npm start wrote to GATEWAY_ADMIN_TOKEN_FILE, .data/${ADMIN_TOKEN_FILE_NAME}),
  GATEWAY_ADMIN_USER (default: your login name)`;

export const EXIT = { ok: 0, failed: 1, usage: USAGE_EXIT } as const;

const REQUEST_TIMEOUT_MS = 10_000;

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

interface AdminCall {
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  body?: unknown;
  print: (answer: unknown, out: (line: string) => void) => void;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd(),
  );
}

function candidateOf(route: RouteView): string {
  if (!route.candidate) return '-';
  return route.mode === 'canary' ? `${route.candidate} ${route.weight}%` : route.candidate;
}

function printTable(view: RouteTableView, out: (line: string) => void): void {
  const rows = view.routes.map((route) => [
    route.name,
    route.target,
    route.state,
    candidateOf(route),
    route.previous ?? '-',
    route.match.map((m) => `${m.methods ? m.methods.join('|') : '*'} ${m.path}`).join(', '),
  ]);
  rows.push(['(default)', view.default, 'monolith', '-', '-', 'every other request']);
  table([['ROUTE', 'TARGET', 'STATE', 'CANDIDATE', 'PREVIOUS', 'MATCH'], ...rows]).forEach(out);
  if (!view.lastReload.ok) out(`warning: the last edit of ${view.file} was rejected: ${view.lastReload.error}`);
}

function printChange(answer: unknown, out: (line: string) => void): void {
  const route = answer as RouteView;
  if (route.mode === 'shadow')
    out(`${route.name} -> ${route.target} (shadow: ${route.candidate} gets a copy of safe requests)`);
  else if (route.mode === 'canary')
    out(`${route.name} -> ${route.target} (canary: ${route.candidate} gets ${route.weight}% of safe requests)`);
  else out(`${route.name} -> ${route.target} (${route.state}${route.previous ? `, was ${route.previous}` : ''})`);
}

const rate = (value: number | null) => (value === null ? '-' : `${(value * 100).toFixed(1)}%`);
const ms = (value: number | null) => (value === null ? '-' : `${value} ms`);

function printReport(answer: unknown, out: (line: string) => void): void {
  const report = answer as RouteReport;
  out(
    `${report.name}: ${report.state} on ${report.target}${report.candidate ? `, candidate ${report.candidate}` : ''}${report.state === 'canary' ? ` at ${report.weight}%` : ''}`,
  );
  const { monolith, candidate } = report.window;
  table([
    ['WINDOW', 'REQUESTS', 'ERRORS', 'ERROR RATE', 'P99'],
    [
      `baseline (${report.target})`,
      String(monolith.requests),
      String(monolith.errors),
      rate(monolith.errorRate),
      ms(monolith.p99Ms),
    ],
    [`candidate`, String(candidate.requests), String(candidate.errors), rate(candidate.errorRate), ms(candidate.p99Ms)],
  ]).forEach(out);
  const { thresholds: t } = report;
  out(
    `verdict after ${t.minRequests} candidate requests (window ${t.windowRequests}): error rate at most baseline + ${rate(t.maxErrorRateIncrease)}, p99 at most baseline x ${t.maxP99Ratio} + ${t.p99SlackMs} ms`,
  );
  if (report.lastVerdict)
    out(`last verdict: ${report.lastVerdict.verdict} at ${report.lastVerdict.at}: ${report.lastVerdict.reason}`);
  if (report.promotion) {
    out(
      `promotion: steps ${report.promotion.steps.join(' -> ')} %, dwell ${report.promotion.dwellMs} ms${report.promotion.nextAt ? `, next step due ${report.promotion.nextAt}` : ''}`,
    );
  }
  const { shadow } = report;
  out(
    `shadow: ${shadow.compared} compared, match rate ${rate(shadow.matchRate)}, ${shadow.failed} failed, ${shadow.skipped} skipped; noise: ${shadow.noiseFields.join(', ') || 'none'}`,
  );
  if (shadow.fields.length > 0) {
    table([['FIELD', 'DIFFERS', 'RATE'], ...shadow.fields.map((f) => [f.path, String(f.count), rate(f.rate)])]).forEach(
      out,
    );
  }
  for (const example of shadow.examples) {
    out(`example ${example.url} differs in ${example.paths.join(', ')}`);
    out(`  target    ${example.target.status} ${example.target.body}`);
    out(`  candidate ${example.candidate.status} ${example.candidate.body}`);
  }
}

function routeName(value: string | undefined): string {
  if (!value) throw new UsageError('a route name is missing');
  return encodeURIComponent(value);
}

function sampleRateOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const rate = Number(value);
  if (!/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(value) || rate > 1) {
    throw new UsageError(`--sample-rate must be a number from 0 to 1, got "${value}"`);
  }
  return rate;
}

function callFor(argv: string[]): AdminCall {
  const { positionals, values } = parseCommandLine(argv, {
    reason: { type: 'string' },
    'sample-rate': { type: 'string' },
    json: { type: 'boolean' },
  });
  const [command, ...rest] = positionals;
  const expect = (count: number) => {
    if (rest.length !== count) throw new UsageError(`${command} takes ${count} argument${count === 1 ? '' : 's'}`);
  };
  const reason = values.reason === undefined ? {} : { reason: values.reason };
  const routePath = () => `/_gateway/routes/${routeName(rest[0])}`;
  switch (command) {
    case 'list':
      expect(0);
      return {
        method: 'GET',
        path: '/_gateway/routes',
        print: (answer, out) => printTable(answer as RouteTableView, out),
      };
    case 'set':
      expect(2);
      return { method: 'PUT', path: routePath(), body: { target: rest[1], ...reason }, print: printChange };
    case 'shadow': {
      expect(2);
      const sampleRate = sampleRateOf(values['sample-rate']);
      return {
        method: 'POST',
        path: `${routePath()}/shadow`,
        body: { candidate: rest[1], ...(sampleRate === undefined ? {} : { sampleRate }), ...reason },
        print: printChange,
      };
    }
    case 'canary':
      expect(3);
      return {
        method: 'POST',
        path: `${routePath()}/canary`,
        body: { candidate: rest[1], weight: integerOption(rest[2], 'weight', 0, 100, 0), ...reason },
        print: printChange,
      };
    case 'promote':
    case 'rollback':
      expect(1);
      return { method: 'POST', path: `${routePath()}/${command}`, body: reason, print: printChange };
    case 'report':
      expect(1);
      return {
        method: 'GET',
        path: `${routePath()}/report`,
        print: values.json ? (answer, out) => out(JSON.stringify(answer, null, 2)) : printReport,
      };
    case 'reset':
      expect(0);
      return {
        method: 'POST',
        path: '/_gateway/routes/reset',
        body: reason,
        print: (answer, out) => printTable(answer as RouteTableView, out),
      };
    default:
      throw new UsageError(command ? `unknown command ${command}` : 'a command is missing');
  }
}

async function errorMessageOf(res: Response): Promise<string> {
  const text = await res.text();
  try {
    return String((JSON.parse(text) as { message?: unknown }).message ?? text);
  } catch {
    return text || res.statusText;
  }
}

/** Runs one `npm run route` command against the admin API; returns the exit code. */
export async function runRouteCli(args: string[], env: NodeJS.ProcessEnv, io: CliOutput): Promise<number> {
  let call: AdminCall;
  let config: RouteCliEnv;
  try {
    call = callFor(args);
    config = loadConfig(RouteCliEnv, env);
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof ConfigError)) throw error;
    io.err(`route: ${error.message}`);
    if (error instanceof UsageError) io.err(USAGE);
    return EXIT.usage;
  }
  const token = adminTokenOf(config);
  if (!token) {
    io.err(
      `route: GATEWAY_ADMIN_TOKEN is not set and ${config.GATEWAY_ADMIN_TOKEN_FILE} is not there; use the token the gateway was started with`,
    );
    return EXIT.usage;
  }
  const base = config.GATEWAY_URL.replace(/\/$/, '');
  let res: Response;
  try {
    res = await fetch(`${base}${call.path}`, {
      method: call.method,
      headers: {
        authorization: `Bearer ${token}`,
        ...adminUserOf(config),
        ...(call.body ? { 'content-type': 'application/json' } : {}),
      },
      body: call.body ? JSON.stringify(call.body) : undefined,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    io.err(`route: cannot reach the gateway at ${base} (${cause}); is it running? (npm start)`);
    return EXIT.failed;
  }
  if (!res.ok) {
    io.err(`route: the gateway answered ${res.status}: ${await errorMessageOf(res)}`);
    return EXIT.failed;
  }
  call.print(await res.json(), io.out);
  return EXIT.ok;
}

if (require.main === module) {
  void runRouteCli(process.argv.slice(2), withRunningStack(), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then((code) => {
    process.exitCode = code;
  });
}
