import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { MatchFunction, match } from 'path-to-regexp';
import { BridgeEntry, HTTP_BRIDGE, PATTERNS } from '@app/contracts';
import { AppLogger, LOGGER } from '@app/observability';
import { encodedQueryProblem, errorBody, queryProblem, validationProblem } from '@app/platform';
import { serviceOfInstance, versionOfInstance } from '@app/registry';
import {
  RemoteError,
  RpcTimeoutError,
  ServiceClient,
  ServiceClients,
  ServiceName,
  ServiceUnavailableError,
  isServiceName,
} from '@app/transport';
import { GatewayConfig } from '../gateway.config';
import type { RpcTarget } from '../routes/route-table';
import type { Answer } from '../delivery/json-diff';
import { ANSWER_TAP, TappedRequest } from './answer-tap';
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

/** The client went away before its request was complete: nothing to answer, and no fault of the target. */
class ClientGone extends Error {}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

/** Why the body cannot be read as the monolith reads it (only identity-encoded UTF-8 JSON); undefined when it can. */
function encodingProblem(req: IncomingMessage): BridgeAnswer | undefined {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') return new BridgeAnswer(415, `content-encoding ${encoding} is not supported`);
  const charset = CHARSET.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return new BridgeAnswer(415, `charset ${charset} is not supported; send utf-8`);
  }
  return undefined;
}

/**
 * Reads the JSON body within the size limit and the body timeout. Settles
 * once: a body over the limit is 413, one too slow is 408, broken JSON or
 * anything but an object is 400, a client that aborts is ClientGone.
 */
function readJsonBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (error?: Error, value?: Record<string, unknown>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.removeListener('data', onData);
      if (error) {
        // What is left of the body is not wanted; reading on frees the connection.
        if (!(error instanceof ClientGone)) req.resume();
        reject(error);
      } else resolve(value as Record<string, unknown>);
    };
    const timer = setTimeout(
      () => settle(new BridgeAnswer(408, `request body not received within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) settle(new BridgeAnswer(413, 'request body is larger than the limit'));
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('error', () => settle(new ClientGone()));
    req.on('close', () => settle(new ClientGone()));
    req.on('end', () => {
      if (size === 0 || !/json/i.test(req.headers['content-type'] ?? '')) return settle(undefined, {});
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return settle(new BridgeAnswer(400, 'request body is not valid JSON'));
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        return settle(new BridgeAnswer(400, 'request body must be a JSON object'));
      }
      settle(undefined, parsed as Record<string, unknown>);
    });
  });
}

function splitUrl(url: string): { path: string; search: string } {
  const query = url.indexOf('?');
  return query === -1 ? { path: url, search: '' } : { path: url.slice(0, query), search: url.slice(query + 1) };
}

/** The query as the monolith's DTOs see it: a repeated key becomes a list. */
function queryOf(search: string): Record<string, string | string[]> {
  const url = new URLSearchParams(search);
  return Object.fromEntries(
    [...new Set(url.keys())].map((key) => {
      const values = url.getAll(key);
      return [key, values.length === 1 ? values[0] : values];
    }),
  );
}

function writeJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value ?? null);
  (req as TappedRequest)[ANSWER_TAP]?.({ status, body });
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
  private readonly bodyTimeoutMs: number;

  constructor(
    private readonly clients: ServiceClients,
    config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {
    this.bodyLimit = bytesOf(config.BODY_LIMIT);
    this.bodyTimeoutMs = config.BODY_TIMEOUT_MS;
    for (const entry of HTTP_BRIDGE) {
      const compiled = { entry, match: match<Record<string, string>>(entry.path, { decode: decodeURIComponent }) };
      this.entries.set(entry.service, [...(this.entries.get(entry.service) ?? []), compiled]);
    }
  }

  async serve(req: IncomingMessage, res: ServerResponse, target: RpcTarget): Promise<void> {
    const { path, search } = splitUrl(req.url as string);
    const method = req.method === 'HEAD' ? 'GET' : (req.method as string);
    let found: { entry: BridgeEntry; params: Record<string, string> } | undefined;
    let payload: Record<string, unknown>;
    try {
      found = this.find(target.name, method, path);
      if (!found) {
        throw new UpstreamFailure(503, `${target.name} does not serve ${method} ${path}`, false);
      }
      const query = queryOf(search);
      const problem = encodedQueryProblem(search) ?? queryProblem(query);
      if (problem) throw new BridgeAnswer(400, problem);
      let body: Record<string, unknown> = {};
      if (WITH_BODY.has(method)) {
        const refused = encodingProblem(req);
        if (refused) throw refused;
        body = await readJsonBody(req, this.bodyLimit, this.bodyTimeoutMs);
        const invalid = found.entry.body && validationProblem(found.entry.body, body);
        if (invalid) throw new BridgeAnswer(400, invalid);
      }
      payload = found.entry.payload({ params: found.params, query: query as Record<string, string>, body });
    } catch (error) {
      if (error instanceof ClientGone) return;
      if (!(error instanceof BridgeAnswer)) throw error;
      // A body cut short leaves the connection unusable for another request.
      if (error.status === 408 || error.status === 413) res.setHeader('connection', 'close');
      writeJson(req, res, error.status, errorBody(error.status, error.message));
      return;
    }
    const { entry } = found;
    try {
      const reply = await this.clientOf(target).send(entry.pattern, payload, { idempotent: method === 'GET' });
      writeJson(req, res, entry.status, reply);
    } catch (error) {
      if (error instanceof RpcTimeoutError)
        throw new UpstreamFailure(504, `${target.name} did not answer in time`, true);
      if (error instanceof ServiceUnavailableError) {
        // The transport's reason names addresses: it goes to the log only.
        throw new UpstreamFailure(503, `${target.name} is unavailable`, false, error.message);
      }
      if (!(error instanceof RemoteError)) throw error;
      writeJson(
        req,
        res,
        error.status,
        errorBody(error.status, error.status >= 500 ? `${target.name} failed` : error.message),
      );
      if (error.status >= 500)
        throw new UpstreamErrorAnswer(`${target.name} answered ${error.status}: ${error.message}`);
    }
  }

  /**
   * A copy of a safe request, outside the proxy (a shadow's): the answer the
   * bridge would give, as status and JSON text. Rejects when the service
   * cannot be asked or does not answer.
   */
  async answer(target: RpcTarget, url: string, timeoutMs: number): Promise<Answer> {
    const { path, search } = splitUrl(url);
    const found = this.find(target.name, 'GET', path);
    if (!found) throw new Error(`${target.name} does not serve GET ${path}`);
    const query = queryOf(search);
    const problem = encodedQueryProblem(search) ?? queryProblem(query);
    if (problem) return { status: 400, body: JSON.stringify(errorBody(400, problem)) };
    const payload = found.entry.payload({ params: found.params, query: query as Record<string, string>, body: {} });
    try {
      const reply = await this.clientOf(target).send(found.entry.pattern, payload, { timeoutMs });
      return { status: found.entry.status, body: JSON.stringify(reply ?? null) };
    } catch (error) {
      if (
        !(error instanceof RemoteError) ||
        error instanceof RpcTimeoutError ||
        error instanceof ServiceUnavailableError
      )
        throw error;
      return { status: error.status, body: JSON.stringify(errorBody(error.status, error.message)) };
    }
  }

  async health(target: RpcTarget): Promise<TargetHealth> {
    const service = serviceOfInstance(target.name);
    if (!isServiceName(service)) return { status: 'down', detail: `${target.name} is not a known service` };
    try {
      await this.clientOf(target).send(PATTERNS[service].health, {}, { timeoutMs: HEALTH_TIMEOUT_MS });
      return { status: 'up' };
    } catch (error) {
      this.logger.warn({ target: target.name, err: (error as Error).message }, 'health check failed');
      return { status: 'down', detail: error instanceof RpcTimeoutError ? 'no answer in time' : 'unreachable' };
    }
  }

  /** The client of the service instance a target names (`search`, `search@v2`). */
  private clientOf(target: RpcTarget): ServiceClient {
    return this.clients.get(serviceOfInstance(target.name) as ServiceName, versionOfInstance(target.name));
  }

  /** The bridge entry of an instance's service that serves the request; undefined when none does. */
  private find(
    instance: string,
    method: string,
    path: string,
  ): { entry: BridgeEntry; params: Record<string, string> } | undefined {
    for (const { entry, match: matches } of this.entries.get(serviceOfInstance(instance)) ?? []) {
      if (entry.method !== method) continue;
      let result: ReturnType<typeof matches>;
      try {
        result = matches(path);
      } catch {
        throw new BridgeAnswer(400, 'the path has malformed percent-encoding');
      }
      if (result) return { entry, params: result.params };
    }
    return undefined;
  }
}
