import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxyFactory } from '@nestjs/microservices';
import { clientOptions, instanceName } from './transport-options';
import { ServiceClient } from './service-client';
import { ServiceName } from './services';
import { TransportEnv } from './transport.env';

/** A client of `service`, or of its second instance `version` (`search@v2`). */
export function createServiceClient(service: ServiceName, env: TransportEnv, version?: string): ServiceClient {
  return new ServiceClient(
    service,
    ClientProxyFactory.create(clientOptions({ service, version }, env)),
    { timeoutMs: env.RPC_TIMEOUT_MS, retries: env.RPC_RETRIES },
    version,
  );
}

/** One lazily connected client per service instance, closed at shutdown. */
@Injectable()
export class ServiceClients implements OnApplicationShutdown {
  private readonly clients = new Map<string, ServiceClient>();

  constructor(@Inject(TransportEnv) private readonly env: TransportEnv) {}

  get(service: ServiceName, version?: string): ServiceClient {
    const name = instanceName({ service, version });
    let client = this.clients.get(name);
    if (!client) {
      client = createServiceClient(service, this.env, version);
      this.clients.set(name, client);
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
