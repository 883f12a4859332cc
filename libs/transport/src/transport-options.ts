import { ClientOptions, MicroserviceOptions, Transport } from '@nestjs/microservices';
import { ServiceName } from './services';
import { TransportEnv } from './transport.env';

/** The variable holding each service's TCP port. */
export const RPC_PORT_KEYS = {
  search: 'SEARCH_RPC_PORT',
  recommendations: 'RECOMMENDATIONS_RPC_PORT',
  tagging: 'TAGGING_RPC_PORT',
  engagement: 'ENGAGEMENT_RPC_PORT',
} as const satisfies Record<ServiceName, keyof TransportEnv>;

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
      return { transport: Transport.TCP, options: { host: env.RPC_HOST, port: env[RPC_PORT_KEYS[service]] } };
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
      return { transport: Transport.TCP, options: { host: env.RPC_HOST, port: env[RPC_PORT_KEYS[service]] } };
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
