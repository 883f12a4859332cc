import type { ChildProcess } from 'node:child_process';

export type StoreKind = 'external' | 'mongod' | 'docker' | 'ferretdb';

export interface StartedStore {
  url: string;
  kind: StoreKind;
  /** The store's own process, when this machine runs it as a child (mongod, FerretDB). */
  child?: ChildProcess;
  stop(): Promise<void>;
}

export interface ResolutionStep {
  step: string;
  outcome: string;
}

export interface StorePlan {
  /** undefined: nothing usable, startStore() would fail with HOW_TO_GET_A_STORE. */
  kind: StoreKind | undefined;
  command?: string;
  steps: ResolutionStep[];
}

export interface ServerDescription {
  product: 'MongoDB' | 'FerretDB';
  version: string;
  /** `MongoDB 8.0.4`, `FerretDB 1.24.2 (MongoDB 7.0.42 protocol)`. */
  label: string;
}

export function startStore(options: {
  dataDir: string;
  port?: number;
  log?: (message: string) => void;
  stdio?: 'ignore' | 'inherit';
  env?: NodeJS.ProcessEnv;
}): Promise<StartedStore>;
export function resolveStore(env?: NodeJS.ProcessEnv): StorePlan;
/** `kind`: how the store was started; our embedded FerretDB reports no version of its own. */
export function describeServer(url: string, kind?: StoreKind): Promise<ServerDescription>;
export function defaultSeedPosts(kind: StoreKind | undefined): number;
export function ensureFerretDb(log?: (message: string) => void): string | undefined;
export function findGo(env?: NodeJS.ProcessEnv): string | undefined;
export function freePort(): Promise<number>;
export function canConnect(port: number): Promise<boolean>;
export function stopChild(child: ChildProcess): Promise<void>;
export function onPath(command: string, env?: NodeJS.ProcessEnv): string | undefined;
export function redact(url: string): string;
export const ROOT: string;
export const TOOLS_BIN: string;
export const DOCKER: { container: string; volume: string; image: string };
export const FERRETDB_WARNING: string;
export const HOW_TO_GET_A_STORE: string;
