import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './command-line';
import { findRepoRoot } from './repo-root';

/** The data folder of `npm start` (STORE_DATA_DIR, else .data). */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.STORE_DATA_DIR || join(findRepoRoot(__dirname), '.data');
}

/** What `npm start` writes to <data>/stack.json while it runs. */
export interface StackFile {
  pid: number;
  processes: Record<string, { port: number; url: string; pid?: number }>;
  /** Variables that reach the stack: store, event log, transport and its ports. */
  env: Record<string, string>;
  store: string;
  adminTokenFile?: string;
}

export function stackFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), 'stack.json');
}

export function readStackFile(env: NodeJS.ProcessEnv = process.env): StackFile | undefined {
  try {
    return JSON.parse(readFileSync(stackFilePath(env), 'utf8')) as StackFile;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `env` completed with where a running `npm start` is, from its stack.json
 * (store, event log, transport, the gateway's and monolith's URLs and the
 * admin token's file), so
 * that a command-line tool works from any shell, on any ports. Variables
 * already set win. A file left by a stack that is gone is ignored.
 */
export function withRunningStack(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const file = readStackFile(env);
  if (!file || !isRunning(file.pid)) return env;
  const reach = {
    GATEWAY_URL: file.processes.gateway?.url,
    MONOLITH_URL: file.processes.monolith?.url,
    GATEWAY_ADMIN_TOKEN_FILE: file.adminTokenFile,
  };
  const defined = Object.entries({ ...file.env, ...reach }).filter(([, value]) => value !== undefined);
  return { ...Object.fromEntries(defined), ...env };
}

/**
 * `withRunningStack` for a tool that needs `names`: when neither the shell
 * nor a running `npm start` gives one of them, a usage error says how to.
 */
export function runningStackEnv(names: readonly string[], env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const completed = withRunningStack(env);
  const missing = names.filter((name) => !completed[name]);
  if (missing.length > 0) {
    throw new UsageError(
      `${missing.join(', ')} not set, and no running npm start found (${stackFilePath(env)}): ` +
        'start the product with npm start, or set them',
    );
  }
  return completed;
}
