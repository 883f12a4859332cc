import type { ChildProcess } from 'node:child_process';
import type { ProcessKind, ProcessName } from '../../libs/registry/src/registry';
import type { StartedNats } from './nats';
import type { StartedStore } from './store';

/** A process of the registry, or a second instance of a microservice (`search@v2`). */
export type StackProcessName = ProcessName | `${string}@${string}`;

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
  startedAt: number;
}

export interface StartStackOptions {
  dataDir: string;
  randomPorts?: boolean;
  services?: string[];
  /** Second instances to run beside the services (`search@v2`), each on its own database, queue, subjects and tcp port. */
  versions?: string[];
  sync?: boolean;
  gateway?: boolean;
  /** Run nats-server from .tools/ even when NATS_URL or 127.0.0.1:4222 offers one, so a test may kill and restart it. */
  ownNats?: boolean;
  env?: Record<string, string>;
  beforeApps?: (mongoUrl: string, store: StartedStore) => Promise<void>;
  log?: (message: string) => void;
  /** Start a process that dies again, with backoff, and log it (npm start). */
  restart?: boolean;
  /** How long a process may take to become healthy (default 60 s): a service rebuilds its read model first. */
  healthTimeoutMs?: number;
}

export interface Stack {
  store: StartedStore;
  /** The event log server; every process gets its URL as NATS_URL. */
  nats: StartedNats;
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
  options?: { services?: string[]; versions?: string[]; sync?: boolean; gateway?: boolean },
): string[][];
export const PROCESSES: readonly RegistryProcess[];
export const SERVICES: readonly string[];
export const DEFAULT_PORTS: Record<string, number>;
