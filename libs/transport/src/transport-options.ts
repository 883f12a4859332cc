import { ConfigError } from '@app/config';
import {
  ClientOptions,
  MicroserviceOptions,
  Server,
  ServerMqtt,
  ServerNats,
  ServerRMQ,
  ServerRedis,
  ServerTCP,
  Transport,
} from '@nestjs/microservices';
import { ServiceName } from './services';
import { TransportEnv } from './transport.env';

/** The variable holding each service's TCP port. */
export const RPC_PORT_KEYS = {
  search: 'SEARCH_RPC_PORT',
  recommendations: 'RECOMMENDATIONS_RPC_PORT',
  tagging: 'TAGGING_RPC_PORT',
  engagement: 'ENGAGEMENT_RPC_PORT',
} as const satisfies Record<ServiceName, keyof TransportEnv>;

/**
 * One running instance of a service: the first (no version) or a second one
 * beside it (`search@v2`), with its own queue, subjects and tcp port.
 */
export interface ServiceInstance {
  service: ServiceName;
  version?: string;
}

export function instanceName({ service, version }: ServiceInstance): string {
  return version ? `${service}@${version}` : service;
}

/**
 * The pattern an instance's messages travel under: a second instance's
 * start with its name (`search@v2.posts.query`), so on a broker it has
 * subjects and channels of its own, and no message reaches both versions.
 */
export function instancePattern(pattern: string, version: string | undefined): string {
  if (!version) return pattern;
  const dot = pattern.indexOf('.');
  return `${pattern.slice(0, dot)}@${version}${pattern.slice(dot)}`;
}

/** RabbitMQ queue (durable) and NATS queue group of a service instance: its replicas share its load. */
export function queueOf(instance: ServiceName | ServiceInstance, env: TransportEnv): string {
  const name = typeof instance === 'string' ? instance : instanceName(instance);
  return `${env.QUEUE_PREFIX}.${name}`;
}

/** The tcp port of an instance: the service's own variable, or VERSION_RPC_PORTS for a second instance. */
export function rpcPortOf({ service, version }: ServiceInstance, env: TransportEnv): number {
  if (!version) return env[RPC_PORT_KEYS[service]];
  const name = instanceName({ service, version });
  const entry = env.VERSION_RPC_PORTS.split(',').find((item) => item.startsWith(`${name}=`));
  if (!entry) {
    throw new ConfigError(
      `${name} has no tcp port: add ${name}=<port> to VERSION_RPC_PORTS (now "${env.VERSION_RPC_PORTS}")`,
    );
  }
  return Number(entry.slice(name.length + 1));
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

/** What serverOptions uses of a transport's server: it registers handlers, listens and closes. */
type ServerClass = new (options: never) => Pick<Server, 'addHandler' | 'listen' | 'close'>;
const SERVER_CLASSES: Partial<Record<Transport, ServerClass>> = {
  [Transport.TCP]: ServerTCP,
  [Transport.REDIS]: ServerRedis,
  [Transport.NATS]: ServerNats,
  [Transport.RMQ]: ServerRMQ,
  [Transport.MQTT]: ServerMqtt,
};

/**
 * The listening side of a service instance on the configured transport. A
 * second instance gets the transport's own server with every handler
 * registered under the instance's patterns (instancePattern), whatever the
 * decorators of its controllers say.
 */
export function serverOptions(instance: ServiceInstance, env: TransportEnv): MicroserviceOptions {
  const options = transportServerOptions(instance, env);
  const { version } = instance;
  if (!version) return options;
  const { transport, options: settings } = options as { transport: Transport; options: object };
  const server = new (SERVER_CLASSES[transport] as ServerClass)(settings as never);
  const register = server.addHandler.bind(server);
  server.addHandler = (pattern, callback, isEventHandler, extras) =>
    register(
      typeof pattern === 'string' ? instancePattern(pattern, version) : pattern,
      callback,
      isEventHandler,
      extras,
    );
  return { strategy: server };
}

function transportServerOptions(instance: ServiceInstance, env: TransportEnv): MicroserviceOptions {
  switch (env.TRANSPORT) {
    case 'tcp':
      return { transport: Transport.TCP, options: { host: env.RPC_HOST, port: rpcPortOf(instance, env) } };
    case 'redis':
      return {
        transport: Transport.REDIS,
        options: { ...redisAddress(env.REDIS_URL), retryAttempts: 1000, retryDelay: 500 },
      };
    case 'nats':
      return { transport: Transport.NATS, options: { servers: [env.NATS_URL], queue: queueOf(instance, env) } };
    case 'rmq':
      return {
        transport: Transport.RMQ,
        options: {
          urls: [env.RABBITMQ_URL],
          queue: queueOf(instance, env),
          queueOptions: { durable: true },
          noAck: false,
          prefetchCount: 32,
        },
      };
    case 'mqtt':
      return { transport: Transport.MQTT, options: { url: env.MQTT_URL, subscribeOptions: { qos: 1 } } };
  }
}

/** The calling side towards a service instance on the configured transport. */
export function clientOptions(instance: ServiceInstance, env: TransportEnv): ClientOptions {
  switch (env.TRANSPORT) {
    case 'tcp':
      return { transport: Transport.TCP, options: { host: env.RPC_HOST, port: rpcPortOf(instance, env) } };
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
        options: { urls: [env.RABBITMQ_URL], queue: queueOf(instance, env), queueOptions: { durable: true } },
      };
    case 'mqtt':
      return { transport: Transport.MQTT, options: { url: env.MQTT_URL, subscribeOptions: { qos: 1 } } };
  }
}
