import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IsOptional, IsString, Matches } from 'class-validator';
import { findRepoRoot } from './repo-root';

/** The file in the data folder where `npm start` keeps the gateway admin token it generated. */
export const ADMIN_TOKEN_FILE_NAME = 'gateway-admin-token';

/** Where a command-line tool finds the running gateway and its admin token. */
export class GatewayClientEnv {
  @Matches(/^https?:\/\/[^\s/]+\/?$/, { message: 'GATEWAY_URL must be an http:// URL such as http://127.0.0.1:3000' })
  GATEWAY_URL: string = 'http://127.0.0.1:3000';

  @IsOptional()
  @IsString()
  GATEWAY_ADMIN_TOKEN?: string;

  /** Where `npm start` keeps the admin token it generated: read when GATEWAY_ADMIN_TOKEN is not set. */
  @IsString()
  GATEWAY_ADMIN_TOKEN_FILE: string = join(findRepoRoot(__dirname), '.data', ADMIN_TOKEN_FILE_NAME);
}

/** The admin token: GATEWAY_ADMIN_TOKEN, else the one in GATEWAY_ADMIN_TOKEN_FILE, else undefined. */
export function adminTokenOf(config: GatewayClientEnv): string | undefined {
  if (config.GATEWAY_ADMIN_TOKEN) return config.GATEWAY_ADMIN_TOKEN;
  try {
    return readFileSync(config.GATEWAY_ADMIN_TOKEN_FILE, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
