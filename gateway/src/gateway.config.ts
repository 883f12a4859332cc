import { join, resolve } from 'node:path';
import { Transform } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { findRepoRoot } from '@app/config';
import { TransportEnv } from '@app/transport';

export const REPO_ROOT = findRepoRoot(__dirname);

const HTTP_URL = /^http:\/\/[^/?#\s]+(\/[^?#\s]*)?$/;

/** Every variable the gateway reads, validated at boot (with the transport's, for rpc targets). */
export class GatewayConfig extends TransportEnv {
  override PORT: number = 3000;

  /** The route table; a relative path is taken from the repository root. */
  @IsString()
  @Transform(({ value }) => resolve(REPO_ROOT, String(value)))
  ROUTES_FILE: string = join(REPO_ROOT, 'gateway', 'routes.yaml');

  /** The dashboard's built files (`npm run build` writes them); served at /_gateway/ui. */
  @IsString()
  @Transform(({ value }) => resolve(REPO_ROOT, String(value)))
  GATEWAY_UI_DIR: string = join(REPO_ROOT, 'dist', 'gateway', 'ui');

  /** The dependency map `npm run graph` writes, served as GET /_gateway/graph.dot. */
  @IsString()
  @Transform(({ value }) => resolve(REPO_ROOT, String(value)))
  GRAPH_DOT_FILE: string = join(REPO_ROOT, '.data', 'graph', 'dependency-map.dot');

  /** Bearer token of the admin API; without it the admin API stays off. */
  @ValidateIf((env: GatewayConfig) => Boolean(env.GATEWAY_ADMIN_TOKEN))
  @MinLength(8, { message: 'GATEWAY_ADMIN_TOKEN must be at least 8 characters' })
  GATEWAY_ADMIN_TOKEN?: string;

  /** Host names the admin API answers to (Host header, port aside); others are refused, against DNS rebinding. */
  @Matches(/^[A-Za-z0-9.\-[\]:]+(,[A-Za-z0-9.\-[\]:]+)*$/, {
    message: 'GATEWAY_ADMIN_HOSTS must be a comma-separated list of host names',
  })
  GATEWAY_ADMIN_HOSTS: string = 'localhost,127.0.0.1,[::1]';

  /** Admin requests a client may make per minute (and at once). */
  @IsInt()
  @Min(1)
  ADMIN_RATE_LIMIT: number = 120;

  @Matches(HTTP_URL, { message: 'MONOLITH_URL must be an http:// URL without query' })
  MONOLITH_URL: string = 'http://127.0.0.1:3001';

  /** The relay (extracted/sync): flips of write routes wait for it to confirm the new owner caught up. Unset: flips are immediate. */
  @ValidateIf((env: GatewayConfig) => Boolean(env.SYNC_URL))
  @Matches(HTTP_URL, { message: 'SYNC_URL must be an http:// URL without query' })
  SYNC_URL?: string;

  /** How long a flip of a write route may wait for in-flight requests and the relay before it is refused. */
  @IsInt()
  @Min(100)
  @Max(120_000)
  CUTOVER_TIMEOUT_MS: number = 5_000;

  /** A request body on a bridged (rpc) route not fully received in this time is answered 408. */
  @IsInt()
  @Min(1)
  BODY_TIMEOUT_MS: number = 10_000;

  /** An upstream that accepts no connection within this time answers 504. */
  @IsInt()
  @Min(1)
  UPSTREAM_CONNECT_TIMEOUT_MS: number = 2_000;

  /** An upstream silent for this long once connected answers 504. */
  @IsInt()
  @Min(1)
  UPSTREAM_TIMEOUT_MS: number = 30_000;

  /** How long an open breaker waits before letting one trial request through. */
  @IsInt()
  @Min(1)
  BREAKER_RESET_MS: number = 10_000;

  @IsInt()
  @Min(1)
  @Max(100)
  BREAKER_ERROR_PERCENT: number = 50;

  /** Requests a target must have seen in the rolling window before its breaker may open. */
  @IsInt()
  @Min(1)
  BREAKER_MIN_REQUESTS: number = 5;
}

/** The values `${NAME}` placeholders in routes.yaml may name. */
export function routeVariables(config: GatewayConfig): Record<string, string> {
  return { MONOLITH_URL: config.MONOLITH_URL };
}
