import { Body, Controller, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { RouteTableService } from '../routes/route-table.service';
import { AdminTokenGuard } from './admin-token.guard';
import { AdminUser } from './admin-user.decorator';
import { RouteNameParam } from './dto/route-name.param';
import { UpdateRouteDto } from './dto/update-route.dto';

@Controller('_gateway/routes')
@UseGuards(AdminTokenGuard)
export class RoutesController {
  constructor(private readonly routes: RouteTableService) {}

  @Get()
  list() {
    return this.routes.describe();
  }

  @Post('reset')
  @HttpCode(200)
  reset(@AdminUser() who: string) {
    return this.routes.reset(who);
  }

  @Get(':name')
  get(@Param() { name }: RouteNameParam) {
    return this.routes.describeRoute(name);
  }

  @Put(':name')
  set(@Param() { name }: RouteNameParam, @Body() { target, mode }: UpdateRouteDto, @AdminUser() who: string) {
    return this.routes.set(name, target, mode, who);
  }

  @Post(':name/rollback')
  @HttpCode(200)
  rollback(@Param() { name }: RouteNameParam, @AdminUser() who: string) {
    return this.routes.rollback(name, who);
  }
}
