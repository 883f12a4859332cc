import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { RouteTableService } from '../routes/route-table.service';
import { AdminTokenGuard } from './admin-token.guard';
import { AuditQueryDto } from './dto/audit-query.dto';

@Controller('_gateway/audit')
@UseGuards(AdminTokenGuard)
export class AuditController {
  constructor(private readonly routes: RouteTableService) {}

  /** Route changes, newest first. */
  @Get()
  list(@Query() { limit }: AuditQueryDto) {
    return { items: this.routes.recentChanges(limit) };
  }
}
