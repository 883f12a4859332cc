import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { RoutesModule } from '../routes/routes.module';
import { DeliveryMonitor } from './delivery-monitor.service';

@Module({ imports: [RoutesModule, MetricsModule], providers: [DeliveryMonitor], exports: [DeliveryMonitor] })
export class DeliveryModule {}
