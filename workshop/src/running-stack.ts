import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_TOKEN_FILE_NAME, StackFile, dataDir, findRepoRoot, readStackFile } from '@app/config';
import { REGISTRY, Registry } from '@app/registry';

export const ROOT = findRepoRoot(__dirname);

/**
 * Where the running system is: the variables a terminal exported win, then
 * what `npm start` wrote to stack.json, then the default ports of the registry.
 */
export class RunningStack {
  readonly file: StackFile | undefined;

  constructor(
    readonly env: NodeJS.ProcessEnv = process.env,
    private readonly registry: Registry = REGISTRY,
  ) {
    this.file = readStackFile(env);
  }

  url(process: string): string {
    const variable = process === 'gateway' ? 'GATEWAY_URL' : process === 'monolith' ? 'MONOLITH_URL' : undefined;
    const fromEnv = variable ? this.env[variable] : undefined;
    return (
      fromEnv?.replace(/\/$/, '') ??
      this.file?.processes[process]?.url ??
      `http://127.0.0.1:${this.registry[process]?.httpPort ?? 0}`
    );
  }

  get gatewayUrl(): string {
    return this.url('gateway');
  }

  get monolithUrl(): string {
    return this.url('monolith');
  }

  /** The admin token: GATEWAY_ADMIN_TOKEN, else the file npm start keeps it in. */
  get adminToken(): string | undefined {
    if (this.env.GATEWAY_ADMIN_TOKEN) return this.env.GATEWAY_ADMIN_TOKEN;
    const file =
      this.env.GATEWAY_ADMIN_TOKEN_FILE ?? this.file?.adminTokenFile ?? join(dataDir(this.env), ADMIN_TOKEN_FILE_NAME);
    try {
      return readFileSync(file, 'utf8').trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /** The transport settings of the running stack, for a client of its services. */
  get transportEnv(): Record<string, string> {
    const fromEnv = Object.fromEntries(
      Object.entries(this.env).filter(
        (entry): entry is [string, string] =>
          entry[1] !== undefined && /^(TRANSPORT|[A-Z_]+_URL|[A-Z0-9_]+_RPC_PORT|QUEUE_PREFIX)$/.test(entry[0]),
      ),
    );
    return { ...(this.file?.env ?? {}), ...fromEnv, RPC_RETRIES: '0' };
  }

  /** `export NAME=value` lines for a shell: what `npm run workshop -- env` prints. */
  exports(): string[] {
    const variables: Record<string, string | undefined> = {
      GATEWAY_URL: this.gatewayUrl,
      MONOLITH_URL: this.monolithUrl,
      ...(this.file?.env ?? {}),
      ...(this.file?.adminTokenFile ? { GATEWAY_ADMIN_TOKEN_FILE: this.file.adminTokenFile } : {}),
    };
    return Object.entries(variables).flatMap(([key, value]) =>
      value === undefined ? [] : [`export ${key}='${value.replace(/'/g, `'\\''`)}'`],
    );
  }
}
