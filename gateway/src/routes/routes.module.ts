import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { RouteTableService } from './route-table.service';

@Module({ imports: [MetricsModule], providers: [RouteTableService], exports: [RouteTableService] })
export class RoutesModule {}
