import type { ChildProcess } from 'node:child_process';
import type { ResolutionStep } from './store';

export type NatsKind = 'external' | 'local' | 'built';

export interface StartedNats {
  url: string;
  kind: NatsKind;
  /** The server's process, when it runs from .tools/ (kind `built`); a new one after each restart. */
  readonly child?: ChildProcess;
  /** Its port, when it runs from .tools/. */
  port?: number;
  stop(): Promise<void>;
  /** Kind `built`: runs the server again on the same port and data (after stop() or a kill). */
  start?(): Promise<void>;
  /** Kind `built`: ends the server with `signal` (default SIGTERM) and starts it again on the same port and data. */
  restart?(signal?: NodeJS.Signals): Promise<void>;
}

export interface NatsPlan {
  kind: NatsKind | undefined;
  url?: string;
  steps: ResolutionStep[];
}

export function startNats(options: {
  dataDir: string;
  port?: number;
  log?: (message: string) => void;
  stdio?: 'ignore' | 'inherit';
  env?: NodeJS.ProcessEnv;
}): Promise<StartedNats>;
/** The nats-server of .tools/ (built if need be) on `port` or a free one, whatever else runs: for tests that kill it. */
export function startOwnNats(options: {
  dataDir: string;
  port?: number;
  log?: (message: string) => void;
  stdio?: 'ignore' | 'inherit';
}): Promise<
  StartedNats & { kind: 'built'; port: number; start(): Promise<void>; restart(signal?: NodeJS.Signals): Promise<void> }
>;
export function resolveNats(env?: NodeJS.ProcessEnv): Promise<NatsPlan>;
export function probeJetStream(url: string, timeoutMs?: number): Promise<{ ok: true } | { ok: false; reason: string }>;
export function ensureNatsServer(log?: (message: string) => void): string | undefined;
export const NATS_VERSION: string;
export const NATS_BIN: string;
export const LOCAL_URL: string;
export const HOW_TO_GET_NATS: string;
