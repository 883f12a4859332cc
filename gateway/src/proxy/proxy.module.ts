import { Module } from '@nestjs/common';
import { ServiceClientsModule } from '@app/transport';
import { DeliveryModule } from '../delivery/delivery.module';
import { GatewayConfig } from '../gateway.config';
import { MetricsModule } from '../metrics/metrics.module';
import { RoutesModule } from '../routes/routes.module';
import { CircuitBreakers } from './circuit-breakers';
import { GatewayServer } from './gateway-server';
import { HttpTargetDispatcher } from './http-target.dispatcher';
import { RequestDispatcher } from './request-dispatcher';
import { RpcTargetDispatcher } from './rpc-target.dispatcher';
import { ShadowTraffic } from './shadow-traffic';
import { TARGET_DISPATCHERS, TargetDispatchers } from './target-dispatcher';

@Module({
  imports: [RoutesModule, MetricsModule, DeliveryModule, ServiceClientsModule.forRoot(GatewayConfig)],
  providers: [
    HttpTargetDispatcher,
    RpcTargetDispatcher,
    {
      provide: TARGET_DISPATCHERS,
      inject: [HttpTargetDispatcher, RpcTargetDispatcher],
      useFactory: (http: HttpTargetDispatcher, rpc: RpcTargetDispatcher): TargetDispatchers => ({ http, rpc }),
    },
    CircuitBreakers,
    ShadowTraffic,
    RequestDispatcher,
    GatewayServer,
  ],
  exports: [GatewayServer, TARGET_DISPATCHERS, CircuitBreakers],
})
export class ProxyModule {}
