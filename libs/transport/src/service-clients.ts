import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxyFactory } from '@nestjs/microservices';
import { clientOptions } from './transport-options';
import { ServiceClient } from './service-client';
import { ServiceName } from './services';
import { TransportEnv } from './transport.env';

export function createServiceClient(service: ServiceName, env: TransportEnv): ServiceClient {
  return new ServiceClient(service, ClientProxyFactory.create(clientOptions(service, env)), {
    timeoutMs: env.RPC_TIMEOUT_MS,
    retries: env.RPC_RETRIES,
  });
}

/** One lazily connected client per service, closed at shutdown. */
@Injectable()
export class ServiceClients implements OnApplicationShutdown {
  private readonly clients = new Map<ServiceName, ServiceClient>();

  constructor(@Inject(TransportEnv) private readonly env: TransportEnv) {}

  get(service: ServiceName): ServiceClient {
    let client = this.clients.get(service);
    if (!client) {
      client = createServiceClient(service, this.env);
      this.clients.set(service, client);
    }
    return client;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close()));
    this.clients.clear();
  }
}

/**
 * Provides ServiceClients; `configClass` is the process's config class
 * (a TransportEnv) as registered by the bootstrap.
 */
@Global()
@Module({})
export class ServiceClientsModule {
  static forRoot(configClass: new () => TransportEnv): DynamicModule {
    return {
      module: ServiceClientsModule,
      providers: [{ provide: TransportEnv, useExisting: configClass }, ServiceClients],
      exports: [ServiceClients],
    };
  }
}
