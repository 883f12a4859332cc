import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { GatewayMetrics } from './gateway-metrics';

/** Prometheus text; public like the health check. */
@Controller('_gateway/metrics')
export class MetricsController {
  constructor(private readonly metrics: GatewayMetrics) {}

  @Get()
  async scrape(@Res() res: Response): Promise<void> {
    res.type(this.metrics.contentType).send(await this.metrics.text());
  }
}
