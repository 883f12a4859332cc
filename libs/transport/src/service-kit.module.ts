import { Controller, DynamicModule, Get, Header, Inject, Module, ServiceUnavailableException } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Registry } from 'prom-client';
import { PATTERNS } from '@app/contracts';
import { MongoModule, StoreHealth } from '@app/data';
import { createMetricsRegistry } from '@app/observability';
import { ServiceEnv } from './service.env';
import { ServiceName } from './services';

export interface ServiceHealth {
  status: 'ok';
  service: ServiceName;
  store: 'up';
  transport: string;
}

/**
 * What every extracted service has: its own database, HTTP /health and
 * /metrics, and a health message pattern the gateway can ping.
 */
@Module({})
export class ServiceKitModule {
  static forService(service: ServiceName, configClass: new () => ServiceEnv): DynamicModule {
    const check = async (store: StoreHealth, config: ServiceEnv): Promise<ServiceHealth> => {
      if (!(await store.isUp())) throw new ServiceUnavailableException(`${service} store is unreachable`);
      return { status: 'ok', service, store: 'up', transport: config.TRANSPORT };
    };

    @Controller()
    class ServiceHealthController {
      constructor(
        private readonly store: StoreHealth,
        @Inject(configClass) private readonly config: ServiceEnv,
        @Inject(Registry) private readonly registry: Registry,
      ) {}

      @Get('health')
      http() {
        return check(this.store, this.config);
      }

      @MessagePattern(PATTERNS[service].health)
      rpc() {
        return check(this.store, this.config);
      }

      @Get('metrics')
      @Header('content-type', 'text/plain; version=0.0.4')
      metrics() {
        return this.registry.metrics();
      }
    }

    return {
      module: ServiceKitModule,
      imports: [
        MongoModule.forRootAsync({
          inject: [configClass],
          useFactory: (config: ServiceEnv) => ({ url: config.MONGO_URL, dbName: config.MONGO_DB }),
        }),
      ],
      controllers: [ServiceHealthController],
      providers: [{ provide: Registry, useFactory: () => createMetricsRegistry(service) }],
      exports: [Registry],
    };
  }
}
