import type { ChildProcess } from 'node:child_process';
import type { ProcessKind, ProcessName } from '../../libs/registry/src/registry';
import type { StartedStore } from './store';

export type StackProcessName = ProcessName;

/** One entry of libs/registry/registry.json. */
export interface RegistryProcess {
  name: string;
  kind: ProcessKind;
  root: string;
  entry: string;
  httpPort: number;
  healthPath: string;
  rpcPort?: number;
  database?: string;
  patternPrefix?: string;
}

export interface StackProcess {
  name: StackProcessName;
  child: ChildProcess;
  port: number;
  logFile: string;
  healthUrl: string;
}

export interface StartStackOptions {
  dataDir: string;
  randomPorts?: boolean;
  services?: string[];
  sync?: boolean;
  gateway?: boolean;
  env?: Record<string, string>;
  beforeApps?: (mongoUrl: string) => Promise<void>;
  log?: (message: string) => void;
}

export interface Stack {
  store: StartedStore;
  env: Record<string, string>;
  ports: Partial<Record<StackProcessName, number>>;
  url(name: StackProcessName): string;
  process(name: StackProcessName): StackProcess | undefined;
  kill(name: StackProcessName, signal?: NodeJS.Signals): boolean | undefined;
  restart(name: StackProcessName): Promise<void>;
  stop(): Promise<void>;
}

export function startStack(options: StartStackOptions): Promise<Stack>;
export function entryOf(name: string): string;
export function startOrder(
  processes: readonly RegistryProcess[],
  options?: { services?: string[]; sync?: boolean; gateway?: boolean },
): string[][];
export const PROCESSES: readonly RegistryProcess[];
export const SERVICES: readonly string[];
export const DEFAULT_PORTS: Record<string, number>;
