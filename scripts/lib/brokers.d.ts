export type BrokerTransport = 'redis' | 'nats' | 'rmq' | 'mqtt';

export const BROKERS: Record<BrokerTransport, { variable: string; port: number }>;
export function brokerAddress(transport: BrokerTransport, env?: NodeJS.ProcessEnv): { host: string; port: number };
export function reachable(address: { host: string; port: number }): Promise<boolean>;
export function downBrokers(env?: NodeJS.ProcessEnv): Promise<BrokerTransport[]>;
export function brokerVerdict(
  transport: string,
  env?: NodeJS.ProcessEnv,
): { run: true } | { run: false; skip: string } | { run: false; fail: string };
