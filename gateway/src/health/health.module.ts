import { Module } from '@nestjs/common';
import { ProxyModule } from '../proxy/proxy.module';
import { RoutesModule } from '../routes/routes.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({ imports: [RoutesModule, ProxyModule], controllers: [HealthController], providers: [HealthService] })
export class HealthModule {}
