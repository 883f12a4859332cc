import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { CutoverClient } from './cutover-client';
import { RouteGates } from './route-gates';
import { RouteTableService } from './route-table.service';

@Module({
  imports: [MetricsModule],
  providers: [RouteTableService, RouteGates, CutoverClient],
  exports: [RouteTableService, RouteGates],
})
export class RoutesModule {}
