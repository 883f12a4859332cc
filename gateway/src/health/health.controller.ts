import { Controller, Get } from '@nestjs/common';
import { HealthService } from './health.service';

/** Public: the gateway answers 200 while it runs, and reports each target's health. */
@Controller('_gateway/health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  check() {
    return this.health.check();
  }
}
