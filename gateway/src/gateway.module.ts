import { Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { ProxyModule } from './proxy/proxy.module';

@Module({ imports: [ProxyModule, AdminModule, HealthModule, MetricsModule, DashboardModule] })
export class GatewayModule {}
