import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import { MatchFunction, match } from 'path-to-regexp';
import { BridgeEntry, HTTP_BRIDGE, PATTERNS } from '@app/contracts';
import { errorBody, queryProblem } from '@app/platform';
import { RemoteError, RpcTimeoutError, ServiceClients, ServiceUnavailableError, isServiceName } from '@app/transport';
import { GatewayConfig } from '../gateway.config';
import type { RpcTarget } from '../routes/route-table';
import { TargetDispatcher, TargetHealth } from './target-dispatcher';
import { UpstreamErrorAnswer, UpstreamFailure } from './upstream-failure';

const HEALTH_TIMEOUT_MS = 1_000;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

interface CompiledEntry {
  entry: BridgeEntry;
  match: MatchFunction<Record<string, string>>;
}

/** An answer the bridge gives itself (bad input), as the monolith would. */
class BridgeAnswer extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function bytesOf(limit: string): number {
  const [, amount, unit] = /^(\d+)(b|kb|mb)$/i.exec(limit) as RegExpExecArray;
  return Number(amount) * { b: 1, kb: 1024, mb: 1024 * 1024 }[unit.toLowerCase() as 'b' | 'kb' | 'mb'];
}

function readJsonBody(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BridgeAnswer(413, 'request body is larger than the limit'));
      } else chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size > limit) return;
      if (size === 0 || !/json/i.test(req.headers['content-type'] ?? '')) return resolve({});
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve(
          typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
            ? (parsed as Record<string, unknown>)
            : {},
        );
      } catch {
        reject(new BridgeAnswer(400, 'request body is not valid JSON'));
      }
    });
  });
}

function writeJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value ?? null);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Serves an rpc target: the public endpoint is turned into the service's
 * message pattern (HTTP_BRIDGE), sent through libs/transport, and the reply
 * or the remote error is written back as the monolith would answer it.
 */
@Injectable()
export class RpcTargetDispatcher implements TargetDispatcher<RpcTarget> {
  private readonly entries = new Map<string, CompiledEntry[]>();
  private readonly bodyLimit: number;

  constructor(
    private readonly clients: ServiceClients,
    config: GatewayConfig,
  ) {
    this.bodyLimit = bytesOf(config.BODY_LIMIT);
    for (const entry of HTTP_BRIDGE) {
      const compiled = { entry, match: match<Record<string, string>>(entry.path, { decode: decodeURIComponent }) };
      this.entries.set(entry.service, [...(this.entries.get(entry.service) ?? []), compiled]);
    }
  }

  async serve(req: IncomingMessage, res: ServerResponse, target: RpcTarget): Promise<void> {
    const url = new URL(req.url as string, 'http://gateway');
    const method = req.method === 'HEAD' ? 'GET' : (req.method as string);
    const found = this.find(target.name, method, url.pathname);
    if (!found || !isServiceName(target.name)) {
      throw new UpstreamFailure(503, `${target.name} does not serve ${method} ${url.pathname}`, false);
    }
    const { entry, params } = found;
    let payload: Record<string, unknown>;
    try {
      const query = Object.fromEntries(
        [...new Set(url.searchParams.keys())].map((key) => {
          const values = url.searchParams.getAll(key);
          return [key, values.length === 1 ? values[0] : values];
        }),
      );
      const problem = queryProblem(query);
      if (problem) throw new BridgeAnswer(400, problem);
      const body = WITH_BODY.has(method) ? await readJsonBody(req, this.bodyLimit) : {};
      payload = entry.payload({ params, query: query as Record<string, string>, body });
    } catch (error) {
      if (!(error instanceof BridgeAnswer)) throw error;
      writeJson(req, res, error.status, errorBody(error.status, error.message));
      return;
    }
    try {
      const reply = await this.clients.get(target.name).send(entry.pattern, payload, { idempotent: method === 'GET' });
      writeJson(req, res, entry.status, reply);
    } catch (error) {
      if (error instanceof RpcTimeoutError) throw new UpstreamFailure(504, error.message, true);
      if (error instanceof ServiceUnavailableError) throw new UpstreamFailure(503, error.message, false);
      if (!(error instanceof RemoteError)) throw error;
      writeJson(req, res, error.status, errorBody(error.status, error.message));
      if (error.status >= 500) throw new UpstreamErrorAnswer(error.message);
    }
  }

  async health(target: RpcTarget): Promise<TargetHealth> {
    if (!isServiceName(target.name)) return { status: 'down', detail: `${target.name} is not a known service` };
    try {
      await this.clients.get(target.name).send(PATTERNS[target.name].health, {}, { timeoutMs: HEALTH_TIMEOUT_MS });
      return { status: 'up' };
    } catch (error) {
      return { status: 'down', detail: (error as Error).message };
    }
  }

  private find(
    service: string,
    method: string,
    path: string,
  ): { entry: BridgeEntry; params: Record<string, string> } | undefined {
    for (const { entry, match: matches } of this.entries.get(service) ?? []) {
      if (entry.method !== method) continue;
      const result = matches(path);
      if (result) return { entry, params: result.params };
    }
    return undefined;
  }
}
