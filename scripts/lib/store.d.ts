import type { ChildProcess } from 'node:child_process';

export interface StartedStore {
  url: string;
  kind: 'external' | 'mongod' | 'ferretdb';
  child?: ChildProcess;
  stop(): Promise<void>;
}

export function startStore(options: {
  dataDir: string;
  port?: number;
  log?: (message: string) => void;
  stdio?: 'ignore' | 'inherit';
}): Promise<StartedStore>;
export function ensureFerretDb(log?: (message: string) => void): string | undefined;
export function freePort(): Promise<number>;
export function canConnect(port: number): Promise<boolean>;
export function stopChild(child: ChildProcess): Promise<void>;
export function onPath(command: string): string | undefined;
export const ROOT: string;
export const HOW_TO_GET_A_STORE: string;
