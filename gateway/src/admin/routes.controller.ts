import { Body, Controller, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { DeliveryMonitor } from '../delivery/delivery-monitor.service';
import { RouteTableService } from '../routes/route-table.service';
import { AdminTokenGuard } from './admin-token.guard';
import { AdminUser } from './admin-user.decorator';
import { CanaryDto, ShadowDto } from './dto/delivery.dto';
import { ReasonDto } from './dto/reason.dto';
import { RouteNameParam } from './dto/route-name.param';
import { UpdateRouteDto } from './dto/update-route.dto';
import { RouteTransitions } from './route-transitions.service';

@Controller('_gateway/routes')
@UseGuards(AdminTokenGuard)
export class RoutesController {
  constructor(
    private readonly routes: RouteTableService,
    private readonly transitions: RouteTransitions,
    private readonly monitor: DeliveryMonitor,
  ) {}

  @Get()
  list() {
    return this.routes.describe();
  }

  @Post('reset')
  @HttpCode(200)
  reset(@Body() { reason }: ReasonDto, @AdminUser() who: string) {
    return this.routes.reset(who, reason ?? null);
  }

  @Get(':name')
  get(@Param() { name }: RouteNameParam) {
    return this.routes.describeRoute(name);
  }

  @Get(':name/report')
  report(@Param() { name }: RouteNameParam) {
    return this.monitor.report(name);
  }

  @Put(':name')
  set(@Param() { name }: RouteNameParam, @Body() { target, reason }: UpdateRouteDto, @AdminUser() who: string) {
    return this.transitions.flip(name, target, who, reason ?? null);
  }

  @Post(':name/shadow')
  @HttpCode(200)
  shadow(@Param() { name }: RouteNameParam, @Body() body: ShadowDto, @AdminUser() who: string) {
    return this.transitions.shadow(name, body.candidate, body.sampleRate, who, body.reason ?? null);
  }

  @Post(':name/canary')
  @HttpCode(200)
  canary(@Param() { name }: RouteNameParam, @Body() body: CanaryDto, @AdminUser() who: string) {
    return this.transitions.canary(name, body.candidate, body.weight, who, body.reason ?? null);
  }

  @Post(':name/promote')
  @HttpCode(200)
  promote(@Param() { name }: RouteNameParam, @Body() { reason }: ReasonDto, @AdminUser() who: string) {
    return this.transitions.promote(name, who, reason ?? null);
  }

  @Post(':name/rollback')
  @HttpCode(200)
  rollback(@Param() { name }: RouteNameParam, @Body() { reason }: ReasonDto, @AdminUser() who: string) {
    return this.transitions.rollback(name, who, reason ?? null);
  }
}
