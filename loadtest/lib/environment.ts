import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { clockTicksPerSecond } from './cpu';
import { ROOT } from './paths';
import type { Environment } from './result';
import type { Stack } from './stack';

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

const storeScript = require(join(ROOT, 'scripts', 'lib', 'store.js')) as typeof import('../../scripts/lib/store');

/** What a reader needs to weigh the numbers: the machine, the software, and what else was running. */
export async function describeEnvironment(stack: Stack, services: string[]): Promise<Environment> {
  const processors = cpus();
  const server = await storeScript.describeServer(stack.store.url, stack.store.kind);
  return {
    cores: processors.length,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    transport: stack.env.TRANSPORT ?? 'tcp',
    store: server.label,
    storeKind: stack.store.kind,
    commit: git(['rev-parse', 'HEAD']) ?? 'unknown',
    dirty: (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
    clockTicksPerSecond: clockTicksPerSecond(),
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
    services,
  };
}
