import { createHash, timingSafeEqual } from 'node:crypto';
import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { GatewayConfig } from '../gateway.config';

const BEARER = /^Bearer +(\S+) *$/i;
/** Clients tracked at once by the rate limit; past this the oldest are forgotten. */
const MAX_TRACKED_CLIENTS = 10_000;

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** The host name of a Host header, without its port: `[::1]:3000` -> `[::1]`, `Example:80` -> `example`. */
function hostNameOf(host: string): string {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return name.toLowerCase().replace(/\.$/, '');
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Guards the admin API, in this order: a rate limit per client address
 * (429), a Host naming one of the configured names, so a page on another
 * site cannot reach the API through DNS rebinding (403), then
 * `Authorization: Bearer $GATEWAY_ADMIN_TOKEN`, compared on hashes so the
 * comparison is constant-time whatever the length (401, 403).
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected?: Buffer;
  private readonly hosts: ReadonlySet<string>;
  private readonly perMinute: number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(config: GatewayConfig) {
    this.expected = config.GATEWAY_ADMIN_TOKEN ? digest(config.GATEWAY_ADMIN_TOKEN) : undefined;
    this.hosts = new Set(config.GATEWAY_ADMIN_HOSTS.split(',').map((host) => hostNameOf(host.trim())));
    this.perMinute = config.ADMIN_RATE_LIMIT;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected)
      throw new NotFoundException('the admin API is off: start the gateway with GATEWAY_ADMIN_TOKEN set');
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    this.limit(req.socket.remoteAddress ?? 'unknown', res);
    if (!this.hosts.has(hostNameOf(req.headers.host ?? ''))) {
      throw new ForbiddenException('the admin API answers only to the host names in GATEWAY_ADMIN_HOSTS');
    }
    const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
    if (!token) {
      res.setHeader('www-authenticate', 'Bearer realm="strangler-gateway"');
      throw new UnauthorizedException('the admin API needs Authorization: Bearer <GATEWAY_ADMIN_TOKEN>');
    }
    if (!timingSafeEqual(digest(token), this.expected)) throw new ForbiddenException('the admin token is wrong');
    return true;
  }

  /** A token bucket per client: up to ADMIN_RATE_LIMIT requests at once, refilled at that many a minute. */
  private limit(client: string, res: Response): void {
    const now = Date.now();
    let bucket = this.buckets.get(client);
    if (!bucket) {
      if (this.buckets.size >= MAX_TRACKED_CLIENTS) this.buckets.delete(this.buckets.keys().next().value as string);
      bucket = { tokens: this.perMinute, at: now };
      this.buckets.set(client, bucket);
    }
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
    bucket.at = now;
    if (bucket.tokens < 1) {
      res.setHeader('retry-after', String(Math.ceil(((1 - bucket.tokens) * 60) / this.perMinute)));
      throw new HttpException(
        `too many admin requests: at most ${this.perMinute} a minute; retry later`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    bucket.tokens -= 1;
  }
}
