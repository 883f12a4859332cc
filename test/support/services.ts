import { INestApplication, Type } from '@nestjs/common';
import { ClassConstructor } from 'class-transformer';
import { freePort } from '../../scripts/lib/store';
import { loadConfig } from '@app/config';
import { microserviceNames, rpcPortKeyOf } from '@app/registry';
import { ServiceEnv, ServiceName, TransportEnv, TransportName, createServiceApp } from '@app/transport';
import { testMongoUrl } from './store';

/** Broker addresses the run was given (compose.test.yaml sets them); unset ones keep the defaults. */
const BROKER_URLS = ['REDIS_URL', 'NATS_URL', 'RABBITMQ_URL', 'MQTT_URL'];

/** Transport variables for a test: the chosen transport, the run's brokers, fresh TCP ports per service. */
export async function transportEnv(transport: TransportName): Promise<Record<string, string>> {
  const env: Record<string, string> = { TRANSPORT: transport, RPC_TIMEOUT_MS: '3000', RPC_RETRIES: '1' };
  for (const key of BROKER_URLS) if (process.env[key]) env[key] = process.env[key] as string;
  for (const name of microserviceNames()) env[rpcPortKeyOf(name)] = String(await freePort());
  return env;
}

export function clientEnv(env: Record<string, string>): TransportEnv {
  return loadConfig(TransportEnv, env);
}

/** Starts a service in this process on its own database; HTTP side not listening. */
export async function startService<C extends ServiceEnv>(
  name: ServiceName,
  module: Type<unknown>,
  config: ClassConstructor<C>,
  env: Record<string, string>,
  dbName: string,
): Promise<INestApplication> {
  const { app } = await createServiceApp(module, {
    name,
    config,
    env: { ...env, MONGO_URL: testMongoUrl(), MONGO_DB: dbName, LOG_LEVEL: 'silent', PORT: '0' },
  });
  return app;
}
