import { Controller, Get, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from './admin-token.guard';
import { DriftClient } from './drift-client';

@Controller('_gateway/drift')
@UseGuards(AdminTokenGuard)
export class DriftController {
  constructor(private readonly drift: DriftClient) {}

  /** Each service's drift from the monolith, as `npm run reconcile` computes it (the relay reads the stores). */
  @Get()
  report() {
    return this.drift.report();
  }
}
