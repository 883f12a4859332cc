import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ProxyModule } from '../proxy/proxy.module';
import { RoutesModule } from '../routes/routes.module';
import { AdminTokenGuard } from './admin-token.guard';
import { AuditController } from './audit.controller';
import { RouteTransitions } from './route-transitions.service';
import { RoutesController } from './routes.controller';

@Module({
  imports: [RoutesModule, ProxyModule, DeliveryModule, MetricsModule],
  controllers: [RoutesController, AuditController],
  providers: [AdminTokenGuard, RouteTransitions],
})
export class AdminModule {}
