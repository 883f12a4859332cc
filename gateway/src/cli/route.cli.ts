import { userInfo } from 'node:os';
import { IsOptional, Matches } from 'class-validator';
import {
  ADMIN_TOKEN_FILE_NAME,
  ConfigError,
  GatewayClientEnv,
  USAGE_EXIT,
  UsageError,
  adminTokenOf,
  loadConfig,
  parseCommandLine,
} from '@app/config';
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
  return /^[A-Za-z0-9._@:-]{1,64}$/.test(name) && !['file', 'cli'].includes(name.toLowerCase())
    ? { 'x-admin-user': name }
    : {};
}

export const USAGE = `usage: npm run route -- <command>
  list                    every route with its target, mode and previous target
  set <route> <target>    send a route to a target (monolith, search, recommendations, tagging, engagement)
  rollback <route>        send a route back to its previous target
  reset                   send every route back to the default target (the monolith)
environment: GATEWAY_URL (default http://127.0.0.1:3000), GATEWAY_ADMIN_TOKEN (default: the one npm start
  wrote to GATEWAY_ADMIN_TOKEN_FILE, .data/${ADMIN_TOKEN_FILE_NAME}), GATEWAY_ADMIN_USER (default: your login name)`;

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

function printTable(view: RouteTableView, out: (line: string) => void): void {
  const rows = view.routes.map((route) => [
    route.name,
    route.target,
    route.mode,
    route.previous ?? '-',
    route.match.map((m) => `${m.methods ? m.methods.join('|') : '*'} ${m.path}`).join(', '),
  ]);
  rows.push(['(default)', view.default, 'live', '-', 'every other request']);
  table([['ROUTE', 'TARGET', 'MODE', 'PREVIOUS', 'MATCH'], ...rows]).forEach(out);
  if (!view.lastReload.ok) out(`warning: the last edit of ${view.file} was rejected: ${view.lastReload.error}`);
}

function printChange(answer: unknown, out: (line: string) => void): void {
  const route = answer as RouteView;
  out(`${route.name} -> ${route.target} (${route.mode}${route.previous ? `, was ${route.previous}` : ''})`);
}

function routeName(value: string | undefined): string {
  if (!value) throw new UsageError('a route name is missing');
  return encodeURIComponent(value);
}

function callFor(argv: string[]): AdminCall {
  const [command, ...rest] = parseCommandLine(argv, {}).positionals;
  const expect = (count: number) => {
    if (rest.length !== count) throw new UsageError(`${command} takes ${count} argument${count === 1 ? '' : 's'}`);
  };
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
      return {
        method: 'PUT',
        path: `/_gateway/routes/${routeName(rest[0])}`,
        body: { target: rest[1] },
        print: printChange,
      };
    case 'rollback':
      expect(1);
      return { method: 'POST', path: `/_gateway/routes/${routeName(rest[0])}/rollback`, print: printChange };
    case 'reset':
      expect(0);
      return {
        method: 'POST',
        path: '/_gateway/routes/reset',
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
  void runRouteCli(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then((code) => {
    process.exitCode = code;
  });
}
