import type { ChildProcess } from 'node:child_process';
import type { StartedStore } from './store';

export type StackProcessName =
  'monolith' | 'gateway' | 'sync' | 'search' | 'recommendations' | 'tagging' | 'engagement';

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
  sync?: boolean;
  gateway?: boolean;
  env?: Record<string, string>;
  beforeApps?: (mongoUrl: string) => Promise<void>;
  log?: (message: string) => void;
  /** Start a process that dies again, with backoff, and log it (npm start). */
  restart?: boolean;
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
export const SERVICES: readonly ['search', 'recommendations', 'tagging', 'engagement'];
export const DEFAULT_PORTS: Record<StackProcessName, number>;
