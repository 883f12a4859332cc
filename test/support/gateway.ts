import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { IncomingMessage, RequestListener, Server, ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningGateway, startGateway } from '../../gateway/src/start-gateway';

export const ADMIN_TOKEN = 'test-admin-token';
/** The header that authorises a test gateway's admin API. */
export const ADMIN_AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` };

export interface RouteSpec {
  name: string;
  target: string;
  match: { path: string; methods?: string[] }[];
  /** Default live. */
  mode?: 'live' | 'shadow' | 'canary';
  /** More route fields (candidate, weight, sticky, shadow, verdict, promotion), written as given. */
  fields?: Record<string, unknown>;
}

/** routes.yaml text: `monolith` (the default) plus the given http and rpc targets and routes. */
export function routesYaml(options: {
  monolithUrl: string;
  httpTargets?: Record<string, string>;
  rpcTargets?: string[];
  routes?: RouteSpec[];
}): string {
  const lines = [
    '# routes of a test gateway',
    'default: monolith',
    'targets:',
    `  monolith: { type: http, url: "${options.monolithUrl}" }`,
  ];
  for (const [name, url] of Object.entries(options.httpTargets ?? {}))
    lines.push(`  ${name}: { type: http, url: "${url}" }`);
  for (const name of options.rpcTargets ?? []) lines.push(`  ${name}: { type: rpc }`);
  lines.push('routes:');
  if (!options.routes?.length) lines.push('  []');
  for (const route of options.routes ?? []) {
    lines.push(`  - name: ${route.name}`, '    match:');
    for (const m of route.match)
      lines.push(`      - { path: ${m.path}${m.methods ? `, methods: [${m.methods.join(', ')}]` : ''} }`);
    lines.push(`    target: ${route.target}`, `    mode: ${route.mode ?? 'live'}`);
    // JSON is YAML: each field on one line.
    for (const [key, value] of Object.entries(route.fields ?? {})) lines.push(`    ${key}: ${JSON.stringify(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface TestGateway extends RunningGateway {
  dir: string;
  routesFile: string;
  stop(): Promise<void>;
}

/** A gateway on a free port with its routes file in a fresh temp folder (removed by `stop`). */
export async function startTestGateway(
  routes: string,
  env: NodeJS.ProcessEnv = {},
  dir?: string,
): Promise<TestGateway> {
  const folder = dir ?? mkdtempSync(join(tmpdir(), 'strangler-gateway-'));
  const routesFile = join(folder, 'routes.yaml');
  if (!dir) writeFileSync(routesFile, routes);
  const removeFolder = () => rmSync(folder, { recursive: true, force: true });
  let gateway: RunningGateway;
  try {
    gateway = await startGateway({
      PORT: '0',
      LOG_LEVEL: 'silent',
      ROUTES_FILE: routesFile,
      GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
      BREAKER_RESET_MS: '300',
      BREAKER_MIN_REQUESTS: '3',
      ...env,
    });
  } catch (error) {
    removeFolder();
    throw error;
  }
  return {
    ...gateway,
    dir: folder,
    routesFile,
    stop: async () => {
      try {
        await gateway.close();
      } finally {
        removeFolder();
      }
    },
  };
}

export interface Upstream {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** A raw node:http server on a free port, standing in for a backend. */
export async function startUpstream(handler: RequestListener, port = 0): Promise<Upstream> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An upstream that answers every request with its name, and 200 on /health. */
export function namedUpstream(name: string): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ answeredBy: name, method: req.method, url: req.url }));
    });
  };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Header name/value pairs exactly as received, in order. */
  rawHeaders: string[];
  body: Buffer;
}

/** One request with node:http, so bodies and headers are seen exactly as sent and received. */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** What a JSON request to a gateway answered: status, who served it, and the parsed body. */
export interface GatewayAnswer {
  status: number;
  servedBy: string | null;
  fallback: string | null;
  body: { statusCode?: number; message?: string } & Record<string, unknown>;
}

/** Sends a JSON request (a string body goes as it is) to `base`; an empty body reads as `{}`. */
export async function callGateway(
  base: string,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<GatewayAnswer> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    servedBy: res.headers.get('x-served-by'),
    fallback: res.headers.get('x-fallback'),
    body: text ? JSON.parse(text) : {},
  };
}
