import { Controller, Get } from '@nestjs/common';
import { ReconcileService } from './reconcile.service';

@Controller('reconcile')
export class ReconcileController {
  constructor(private readonly reconcile: ReconcileService) {}

  /** The drift of every service the relay feeds, as `npm run reconcile` computes it. */
  @Get()
  report() {
    return this.reconcile.report();
  }
}
