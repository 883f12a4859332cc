import { Controller, Get } from '@nestjs/common';
import { OverviewService } from './overview.service';

/** Public like /_gateway/metrics, which already names every route and target. */
@Controller('_gateway/overview')
export class OverviewController {
  constructor(private readonly overview: OverviewService) {}

  @Get()
  get() {
    return this.overview.overview();
  }
}
