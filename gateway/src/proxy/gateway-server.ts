import { IncomingMessage, RequestListener, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { GATEWAY_PREFIX } from '../routes/route-table';
import { RequestDispatcher } from './request-dispatcher';
import { GATEWAY, SERVED_BY_HEADER, writeFailure } from './upstream-failure';

/** In-flight requests get this long to finish when the gateway stops. */
const DRAIN_MS = 5_000;

const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/**
 * Puts the request target in origin form (`/path?query`), so an absolute-form
 * request line (`POST http://host/path`) is routed by its path like any other.
 * False for a target that is not a path at all (`*`, authority form).
 */
function toOriginForm(req: IncomingMessage): boolean {
  const url = req.url as string;
  if (url.charCodeAt(0) === 47) return true;
  const authority = ABSOLUTE_FORM.exec(url);
  if (authority === null) return false;
  const rest = url.slice(authority[0].length);
  req.url = rest.charCodeAt(0) === 47 ? rest : `/${rest}`;
  return true;
}

/** `OPTIONS *` asks what the server supports; anything else not naming a path is a bad request. */
function answerNonPath(req: IncomingMessage, res: ServerResponse): void {
  if (req.method === 'OPTIONS' && req.url === '*') {
    res.statusCode = 204;
    res.setHeader(SERVED_BY_HEADER, GATEWAY);
    res.setHeader('allow', 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
    res.end();
  } else writeFailure(res, 400, 'the request target must be a path');
}

function isGatewayPath(url: string): boolean {
  if (!url.startsWith(GATEWAY_PREFIX)) return false;
  const next = url.charAt(GATEWAY_PREFIX.length);
  return next === '' || next === '/' || next === '?';
}

/**
 * A bare node:http server: /_gateway goes to the Nest admin app, everything
 * else straight to the proxy, with no framework middleware on that path.
 */
@Injectable()
export class GatewayServer implements BeforeApplicationShutdown {
  private server?: Server;

  constructor(private readonly dispatcher: RequestDispatcher) {}

  /** Starts serving; resolves with the URL it listens on. */
  listen(admin: RequestListener, port: number, host: string): Promise<string> {
    const { handle, upgrade } = this.dispatcher;
    const server = createServer((req, res) => {
      if (!toOriginForm(req)) answerNonPath(req, res);
      else if (isGatewayPath(req.url as string)) {
        res.setHeader(SERVED_BY_HEADER, GATEWAY);
        admin(req, res);
      } else handle(req, res);
    });
    server.on('upgrade', (req, socket, head) => {
      if (!toOriginForm(req) || isGatewayPath(req.url as string)) socket.destroy();
      else upgrade(req, socket as Socket, head);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        const address = server.address() as AddressInfo;
        resolve(`http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`);
      });
    });
  }

  /** Stops accepting, lets in-flight requests finish for a while, then cuts what is left. */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const drain = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    await closed;
    clearTimeout(drain);
  }
}
