import { RequestListener, Server, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { GATEWAY_PREFIX } from '../routes/route-table';
import { RequestDispatcher } from './request-dispatcher';
import { GATEWAY, SERVED_BY_HEADER } from './upstream-failure';

/** In-flight requests get this long to finish when the gateway stops. */
const DRAIN_MS = 5_000;

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
      if (isGatewayPath(req.url as string)) {
        res.setHeader(SERVED_BY_HEADER, GATEWAY);
        admin(req, res);
      } else handle(req, res);
    });
    server.on('upgrade', (req, socket, head) => {
      if (isGatewayPath(req.url as string)) socket.destroy();
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
