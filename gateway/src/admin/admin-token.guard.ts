import { createHash, timingSafeEqual } from 'node:crypto';
import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { GatewayConfig } from '../gateway.config';

const BEARER = /^Bearer +(\S+) *$/i;

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * Lets a request through only with `Authorization: Bearer $GATEWAY_ADMIN_TOKEN`.
 * Both sides are hashed first so the comparison is constant-time whatever the length.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(config: GatewayConfig) {
    this.expected = config.GATEWAY_ADMIN_TOKEN ? digest(config.GATEWAY_ADMIN_TOKEN) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected)
      throw new NotFoundException('the admin API is off: start the gateway with GATEWAY_ADMIN_TOKEN set');
    const http = context.switchToHttp();
    const token = BEARER.exec(http.getRequest<Request>().headers.authorization ?? '')?.[1];
    if (!token) {
      http.getResponse<Response>().setHeader('www-authenticate', 'Bearer realm="strangler-gateway"');
      throw new UnauthorizedException('the admin API needs Authorization: Bearer <GATEWAY_ADMIN_TOKEN>');
    }
    if (!timingSafeEqual(digest(token), this.expected)) throw new ForbiddenException('the admin token is wrong');
    return true;
  }
}
