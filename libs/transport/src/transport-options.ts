import { ClientOptions, MicroserviceOptions, Transport } from '@nestjs/microservices';
import { ConfigError } from '@app/config';
import { REGISTRY, Registry, rpcPortKeyOf } from '@app/registry';
import { ServiceName } from './services';
import { TransportEnv } from './transport.env';

/**
 * A service's TCP port: its variable (`rpcPortKeyOf`, e.g. SEARCH_RPC_PORT),
 * else the registry's port. TransportEnv declares the variables of the
 * services it was written with; a service added later (`npm run scaffold`)
 * is looked up by name and checked here, so adding one edits no class.
 */
export function rpcPortOf(service: ServiceName, env: TransportEnv): number {
  const key = rpcPortKeyOf(service);
  const value: unknown = (env as unknown as Record<string, unknown>)[key] ?? (REGISTRY as Registry)[service]?.rpcPort;
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`Invalid environment: ${key}: must be a port from 1 to 65535`);
  }
  return port;
}

/** RabbitMQ queue (durable) and NATS queue group of a service: replicas share its load. */
export function queueOf(service: ServiceName, env: TransportEnv): string {
  return `${env.QUEUE_PREFIX}.${service}`;
}

function redisAddress(url: string): { host: string; port: number; password?: string; db?: number } {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.pathname.length > 1 ? { db: Number(parsed.pathname.slice(1)) } : {}),
  };
}

/** The listening side of `service` on the configured transport. */
export function serverOptions(service: ServiceName, env: TransportEnv): MicroserviceOptions {
  switch (env.TRANSPORT) {
    case 'tcp':
      return { transport: Transport.TCP, options: { host: env.RPC_HOST, port: rpcPortOf(service, env) } };
    case 'redis':
      return {
        transport: Transport.REDIS,
        options: { ...redisAddress(env.REDIS_URL), retryAttempts: 1000, retryDelay: 500 },
      };
    case 'nats':
      return { transport: Transport.NATS, options: { servers: [env.NATS_URL], queue: queueOf(service, env) } };
    case 'rmq':
      return {
        transport: Transport.RMQ,
        options: {
          urls: [env.RABBITMQ_URL],
          queue: queueOf(service, env),
          queueOptions: { durable: true },
          noAck: false,
          prefetchCount: 32,
        },
      };
    case 'mqtt':
      return { transport: Transport.MQTT, options: { url: env.MQTT_URL, subscribeOptions: { qos: 1 } } };
  }
}

/** The calling side towards `service` on the configured transport. */
export function clientOptions(service: ServiceName, env: TransportEnv): ClientOptions {
  switch (env.TRANSPORT) {
    case 'tcp':
      return { transport: Transport.TCP, options: { host: env.RPC_HOST, port: rpcPortOf(service, env) } };
    case 'redis':
      return {
        transport: Transport.REDIS,
        options: { ...redisAddress(env.REDIS_URL), retryAttempts: 1000, retryDelay: 500 },
      };
    case 'nats':
      return { transport: Transport.NATS, options: { servers: [env.NATS_URL] } };
    case 'rmq':
      return {
        transport: Transport.RMQ,
        options: { urls: [env.RABBITMQ_URL], queue: queueOf(service, env), queueOptions: { durable: true } },
      };
    case 'mqtt':
      return { transport: Transport.MQTT, options: { url: env.MQTT_URL, subscribeOptions: { qos: 1 } } };
  }
}
