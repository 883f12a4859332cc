import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { HttpEnv } from '@app/config';
import { INSTANCE_VERSION_PATTERN, REGISTRY } from '@app/registry';

export const TRANSPORTS = ['tcp', 'redis', 'nats', 'rmq', 'mqtt'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

/**
 * Variables of every process that talks over the transport. One setting,
 * TRANSPORT, picks it for all services and clients.
 */
export class TransportEnv extends HttpEnv {
  @IsIn(TRANSPORTS)
  TRANSPORT: TransportName = 'tcp';

  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  @Matches(/^(nats|tls):\/\/\S+$/, { message: 'NATS_URL must be a nats:// URL' })
  NATS_URL: string = 'nats://127.0.0.1:4222';

  @Matches(/^amqps?:\/\/\S+$/, { message: 'RABBITMQ_URL must be an amqp:// URL' })
  RABBITMQ_URL: string = 'amqp://guest:guest@127.0.0.1:5672';

  @Matches(/^(mqtts?|tcp|wss?):\/\/\S+$/, { message: 'MQTT_URL must be an mqtt:// URL' })
  MQTT_URL: string = 'mqtt://127.0.0.1:1883';

  /** Prefix of RabbitMQ queues and NATS queue groups, to keep deployments apart on one broker. */
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'QUEUE_PREFIX must be 1-64 letters, digits, _ . or -' })
  QUEUE_PREFIX: string = 'strangler';

  /** Host the TCP transport's services listen on and are reached at. */
  @IsString()
  RPC_HOST: string = '127.0.0.1';

  @IsInt()
  @Min(1)
  @Max(65535)
  SEARCH_RPC_PORT: number = REGISTRY.search.rpcPort;

  @IsInt()
  @Min(1)
  @Max(65535)
  RECOMMENDATIONS_RPC_PORT: number = REGISTRY.recommendations.rpcPort;

  @IsInt()
  @Min(1)
  @Max(65535)
  TAGGING_RPC_PORT: number = REGISTRY.tagging.rpcPort;

  @IsInt()
  @Min(1)
  @Max(65535)
  ENGAGEMENT_RPC_PORT: number = REGISTRY.engagement.rpcPort;

  /**
   * The tcp ports of services' second instances, `search@v2=4201,tagging@v3=4303`:
   * read by the instance itself and by whoever calls it.
   */
  @Matches(/^([a-z][a-z0-9-]*@[a-z0-9][a-z0-9-]*=\d{1,5})?(,[a-z][a-z0-9-]*@[a-z0-9][a-z0-9-]*=\d{1,5})*$/, {
    message: 'VERSION_RPC_PORTS must be a comma-separated list of <service>@<version>=<port>',
  })
  VERSION_RPC_PORTS: string = '';

  /** Set on a service's second instance: its version label (`v2`), which names its queue, subjects and tcp port. */
  @IsOptional()
  @Matches(INSTANCE_VERSION_PATTERN, { message: 'SERVICE_VERSION must be 1-16 lowercase letters, digits or -' })
  SERVICE_VERSION?: string;

  @IsInt()
  @Min(50)
  @Max(120_000)
  RPC_TIMEOUT_MS: number = 5000;

  /** Extra attempts for calls marked idempotent. */
  @IsInt()
  @Min(0)
  @Max(5)
  RPC_RETRIES: number = 2;
}
