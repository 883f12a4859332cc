import { Agent, ClientRequest, IncomingHttpHeaders, IncomingMessage, ServerResponse, request } from 'node:http';
import type { Socket } from 'node:net';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { RequestHandler, createProxyMiddleware, proxyEventsPlugin } from 'http-proxy-middleware';
import { AppLogger, LOGGER, REQUEST_ID_HEADER } from '@app/observability';
import { GatewayConfig } from '../gateway.config';
import type { HttpTarget } from '../routes/route-table';
import type { Answer } from '../delivery/json-diff';
import { ANSWER_TAP, TappedRequest, tapStream } from './answer-tap';
import { TargetDispatcher, TargetHealth } from './target-dispatcher';
import { UpstreamErrorAnswer, UpstreamFailure, writeFailure } from './upstream-failure';

const TARGET = Symbol('http target');
const PENDING = Symbol('pending answer');
const PREPARED = Symbol('headers prepared');
const UPSTREAM_RESPONSE = Symbol('upstream response');

interface PendingAnswer {
  resolve: () => void;
  reject: (error: Error) => void;
}

interface ProxiedRequest extends IncomingMessage {
  [TARGET]: HttpTarget;
  [PENDING]?: PendingAnswer;
  /** Set once the headers are ready, so a fallback to another target does not redo them. */
  [PREPARED]?: true;
}

interface ProxiedResponse extends ServerResponse {
  [UPSTREAM_RESPONSE]: IncomingMessage;
}

const HEALTH_TIMEOUT_MS = 1_000;
const IDLE_SOCKET_MS = 4_000;
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

class UpstreamTimeout extends Error {
  constructor(readonly connecting: boolean) {
    super(connecting ? 'connect timeout' : 'response timeout');
  }
}

/** Named functions rather than closures: they run on every request and use `this`. */
function abortOnTimeout(this: ClientRequest): void {
  this.destroy(new UpstreamTimeout(this.socket?.connecting ?? false));
}

/** The client went away mid-answer: stop reading the upstream so its socket is freed. */
function releaseUpstream(this: ProxiedResponse): void {
  if (!this.writableFinished) this[UPSTREAM_RESPONSE].destroy();
}

/** Headers that concern one connection only (RFC 9110 7.6.1), besides those `Connection` names. */
const HOP_BY_HOP = ['keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'upgrade'];

/** The usual Connection values name no other header: no need to split them on every request. */
const PLAIN_CONNECTION = new Set(['keep-alive', 'close', 'Keep-Alive', 'Close']);

/** Drops the headers a Connection header names. */
function dropNamedHeaders(headers: IncomingHttpHeaders, connection: string): void {
  for (const name of connection.split(',')) delete headers[name.trim().toLowerCase()];
}

/** Drops hop-by-hop headers and appends the client to X-Forwarded-For; the proxy's agent sets its own Connection. */
function prepareHeaders(req: ProxiedRequest, upgrading: boolean): void {
  if (req[PREPARED]) return;
  req[PREPARED] = true;
  const { headers } = req;
  if (!upgrading) {
    const connection = headers.connection;
    if (connection !== undefined) {
      if (!PLAIN_CONNECTION.has(connection)) dropNamedHeaders(headers, connection);
      delete headers.connection;
    }
    for (let i = 0; i < HOP_BY_HOP.length; i++) if (headers[HOP_BY_HOP[i]] !== undefined) delete headers[HOP_BY_HOP[i]];
  }
  const client = req.socket.remoteAddress ?? 'unknown';
  const forwarded = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwarded === undefined ? client : `${forwarded}, ${client}`;
}

function routeToTarget(req: IncomingMessage) {
  return (req as ProxiedRequest)[TARGET].proxy;
}

/**
 * Proxies to http targets through ONE http-proxy-middleware instance: the
 * router picks the target the dispatcher chose, bodies stream through
 * untouched, sockets are reused through a keep-alive agent.
 */
@Injectable()
export class HttpTargetDispatcher implements TargetDispatcher<HttpTarget>, OnModuleDestroy {
  // Idle sockets are dropped before a Node upstream's 5 s keep-alive timeout closes them under a request.
  private readonly agent = new Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
  private readonly proxy: RequestHandler;

  constructor(
    private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {
    this.proxy = createProxyMiddleware({
      router: routeToTarget,
      agent: this.agent,
      // Forward req.url verbatim; otherwise http-proxy re-parses (and re-escapes) it per request.
      toProxy: true,
      // Header names reach the client spelled as the upstream wrote them.
      preserveHeaderKeyCase: true,
      // The default plugins log and build URLs on every response; only the `on` handlers are wanted.
      ejectPlugins: true,
      plugins: [proxyEventsPlugin],
      on: {
        proxyReq: this.armTimeouts,
        proxyRes: settleOnAnswer,
        error: this.onError,
        econnreset: settleOnClientGone,
      },
    });
  }

  /** Proxies without waiting; a failure is answered with a JSON 502/504. */
  forward(req: IncomingMessage, res: ServerResponse, target: HttpTarget): void {
    (req as ProxiedRequest)[TARGET] = target;
    prepareHeaders(req as ProxiedRequest, false);
    void this.proxy(req, res);
  }

  serve(req: IncomingMessage, res: ServerResponse, target: HttpTarget): Promise<void> {
    return new Promise((resolve, reject) => {
      (req as ProxiedRequest)[PENDING] = { resolve, reject };
      this.forward(req, res, target);
    });
  }

  upgrade(req: IncomingMessage, socket: Socket, head: Buffer, target: HttpTarget): void {
    (req as ProxiedRequest)[TARGET] = target;
    prepareHeaders(req as ProxiedRequest, true);
    this.proxy.upgrade(req, socket, head);
  }

  /**
   * A copy of a safe request, outside the proxy (a shadow's), on the proxy's
   * keep-alive agent: the whole answer, or a rejection past `timeoutMs`.
   */
  fetchAnswer(
    target: HttpTarget,
    method: string,
    url: string,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<Answer> {
    const { hostname, port, path } = target.proxy;
    return new Promise((resolve, reject) => {
      const req = request(
        { host: hostname, port, method, path: `${path}${url}`, headers, agent: this.agent, timeout: timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${target.name} did not answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end();
    });
  }

  async health(target: HttpTarget): Promise<TargetHealth> {
    try {
      const res = await fetch(`${target.url}/health`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
      await res.body?.cancel();
      return res.ok ? { status: 'up' } : { status: 'down', detail: `GET /health answered ${res.status}` };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      return { status: 'down', detail: `GET /health failed: ${cause}` };
    }
  }

  onModuleDestroy(): void {
    this.agent.destroy();
  }

  private readonly armTimeouts = (proxyReq: ClientRequest): void => {
    // Node arms a request timeout only once connected, so connecting gets its own, shorter one.
    proxyReq.setTimeout(this.config.UPSTREAM_TIMEOUT_MS, abortOnTimeout);
    if (proxyReq.socket?.connecting) proxyReq.socket.setTimeout(this.config.UPSTREAM_CONNECT_TIMEOUT_MS);
  };

  private readonly onError = (error: Error, req: IncomingMessage, res: ServerResponse | Socket): void => {
    if (!(res instanceof ServerResponse)) {
      res.destroy();
      return;
    }
    const proxied = req as ProxiedRequest;
    const failure = this.failureOf(error, proxied[TARGET].name);
    const pending = proxied[PENDING];
    if (pending) {
      proxied[PENDING] = undefined;
      pending.reject(failure);
      return;
    }
    this.logger.warn(
      {
        requestId: req.headers[REQUEST_ID_HEADER],
        target: proxied[TARGET].name,
        status: failure.status,
        err: error.message,
      },
      'upstream failed',
    );
    writeFailure(res, failure.status, failure.message);
  };

  private failureOf(error: Error, target: string): UpstreamFailure {
    if (error instanceof UpstreamTimeout) {
      return error.connecting
        ? new UpstreamFailure(
            504,
            `${target} accepted no connection within ${this.config.UPSTREAM_CONNECT_TIMEOUT_MS} ms`,
            false,
          )
        : new UpstreamFailure(504, `${target} did not answer within ${this.config.UPSTREAM_TIMEOUT_MS} ms`, true);
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code && UNREACHABLE.has(code)) return new UpstreamFailure(502, `${target} is unreachable (${code})`, false);
    // The error's message may name addresses: the client gets its code at most, the log the rest.
    return new UpstreamFailure(502, code ? `${target} failed (${code})` : `${target} failed`, true, error.message);
  }
}

/**
 * The upstream's hop-by-hop headers describe its connection to the gateway,
 * not the client's: they are dropped, and Connection says what the gateway
 * does with the client's connection (http-proxy would otherwise copy it).
 */
function prepareAnswerHeaders(upstream: IncomingMessage, res: ServerResponse): void {
  const { headers } = upstream;
  const connection = headers.connection;
  if (connection !== undefined && !PLAIN_CONNECTION.has(connection)) dropNamedHeaders(headers, connection);
  if (headers['keep-alive'] !== undefined) delete headers['keep-alive'];
  if (headers['proxy-connection'] !== undefined) delete headers['proxy-connection'];
  headers.connection = res.shouldKeepAlive ? 'keep-alive' : 'close';
}

function settleOnAnswer(upstream: IncomingMessage, req: IncomingMessage, res: ServerResponse): void {
  prepareAnswerHeaders(upstream, res);
  const proxied = req as ProxiedRequest;
  const pending = proxied[PENDING];
  if (pending) {
    proxied[PENDING] = undefined;
    const status = upstream.statusCode ?? 502;
    if (status >= 500) pending.reject(new UpstreamErrorAnswer(`${proxied[TARGET].name} answered ${status}`));
    else pending.resolve();
  }
  (res as ProxiedResponse)[UPSTREAM_RESPONSE] = upstream;
  res.on('close', releaseUpstream);
  const tap = (req as TappedRequest)[ANSWER_TAP];
  if (tap !== undefined) tapStream(upstream, upstream.statusCode ?? 502, tap);
}

/** The client hung up before the answer: no fault of the target. */
function settleOnClientGone(_error: Error, req: IncomingMessage): void {
  const proxied = req as ProxiedRequest;
  proxied[PENDING]?.resolve();
  proxied[PENDING] = undefined;
}
