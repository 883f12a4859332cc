import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir, loadConfig } from '@app/config';
import { TransportEnv, createServiceClient, isServiceName } from '@app/transport';
import { ROOT, RunningStack } from './running-stack';

/** One thing a step expects, as `check` prints it. */
export interface Expectation {
  name: string;
  pass: boolean;
  /** What was found, when it helps (a failure's cause). */
  detail?: string;
  /** What to do next when it fails. */
  hint: string;
}

export function expectation(name: string, pass: boolean, hint: string, detail?: string): Expectation {
  return { name, pass, hint, ...(detail ? { detail } : {}) };
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  /** Why there was no answer (connection refused, timeout). */
  error?: string;
}

export interface GatewayRoute {
  name: string;
  target: string;
  previous?: string | null;
}

/** A route change as GET /_gateway/audit lists it, newest first. */
export interface AuditEntry {
  at: string;
  route: string;
  from: string | null;
  to: string | null;
}

const REQUEST_TIMEOUT_MS = 10_000;

/** Prometheus text as {name, labels, value} samples. */
export function parseMetrics(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  return text.split('\n').flatMap((line) => {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) return [];
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]),
    );
    return [{ name: match[1], labels, value: Number(match[3]) }];
  });
}

/** What a check can look at: the running system (through its public and admin HTTP APIs) and the working tree. */
export class CheckContext {
  constructor(
    readonly stack: RunningStack = new RunningStack(),
    readonly root: string = ROOT,
  ) {}

  get dataDir(): string {
    return dataDir(this.stack.env);
  }

  async http(url: string, init: RequestInit = {}): Promise<HttpAnswer> {
    try {
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...init });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: kept as text.
      }
      return { status: res.status, headers: res.headers, body };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      return { status: 0, headers: new Headers(), body: undefined, error: cause };
    }
  }

  gateway(path: string, init?: RequestInit): Promise<HttpAnswer> {
    return this.http(`${this.stack.gatewayUrl}${path}`, init);
  }

  monolith(path: string, init?: RequestInit): Promise<HttpAnswer> {
    return this.http(`${this.stack.monolithUrl}${path}`, init);
  }

  private admin(path: string): Promise<HttpAnswer> {
    const token = this.stack.adminToken;
    return this.gateway(path, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  }

  /** The gateway's routes, or undefined when it does not answer. */
  async routes(): Promise<GatewayRoute[] | undefined> {
    const answer = await this.admin('/_gateway/routes');
    return answer.status === 200 ? (answer.body as { routes: GatewayRoute[] }).routes : undefined;
  }

  async route(name: string): Promise<GatewayRoute | undefined> {
    return (await this.routes())?.find((route) => route.name === name);
  }

  /** That `route` goes to `target`, with the command that sends it there. */
  async routeGoesTo(route: string, target: string): Promise<Expectation> {
    const found = await this.route(route);
    return expectation(
      `route ${route} goes to ${target}`,
      found?.target === target,
      `npm run route -- set ${route} ${target}`,
      found ? `${route} -> ${found.target}` : 'the gateway did not answer',
    );
  }

  async audit(): Promise<AuditEntry[]> {
    const answer = await this.admin('/_gateway/audit?limit=200');
    return answer.status === 200 ? (answer.body as { items: AuditEntry[] }).items : [];
  }

  /** The sum of a gateway metric over the samples whose labels include `labels`. */
  async gatewayMetric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const answer = await this.gateway('/_gateway/metrics');
    if (answer.status !== 200 || typeof answer.body !== 'string') return 0;
    return parseMetrics(answer.body)
      .filter((sample) => sample.name === name)
      .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
      .reduce((sum, sample) => sum + sample.value, 0);
  }

  /** A service's own /health (its HTTP side), or the failure. */
  serviceHealth(name: string): Promise<HttpAnswer> {
    return this.http(`${this.stack.url(name)}/health`);
  }

  /** Sends one message to a service over the stack's transport; resolves to its reply or rejects with its error. */
  async ask<T>(service: string, pattern: string, payload: unknown): Promise<T> {
    if (!isServiceName(service)) throw new Error(`${service} is not a service of the registry (npm run build?)`);
    const client = createServiceClient(service, loadConfig(TransportEnv, this.stack.transportEnv));
    try {
      return await client.send<T>(pattern, payload, { timeoutMs: 5000 });
    } finally {
      await client.close();
    }
  }

  exists(path: string): boolean {
    return existsSync(join(this.root, path));
  }

  read(path: string): string | undefined {
    try {
      return readFileSync(join(this.root, path), 'utf8');
    } catch {
      return undefined;
    }
  }

  modifiedMs(path: string): number | undefined {
    try {
      return statSync(join(this.root, path)).mtimeMs;
    } catch {
      return undefined;
    }
  }

  /** Runs a compiled command-line tool of the repository with the stack's variables; its exit code and output. */
  runTool(script: string, args: string[]): { status: number; output: string } {
    const result = spawnSync(process.execPath, [join(this.root, script), ...args], {
      cwd: this.root,
      env: { ...process.env, ...this.stack.transportEnv, ...(this.stack.file?.env ?? {}) },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: result.status ?? 1, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
  }
}
