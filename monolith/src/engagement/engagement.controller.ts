import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { EngagementDto, PostIdParam } from '@app/contracts';
import { EngagementService } from './engagement.service';

/** Engagements are accepted (202): their effect on stats and recommendations may show up later. */
@Controller('posts/:id')
export class EngagementController {
  constructor(private readonly engagement: EngagementService) {}

  @Post('likes')
  @HttpCode(202)
  like(@Param() { id }: PostIdParam, @Body() { user }: EngagementDto) {
    return this.engagement.record(id, user, 'like');
  }

  @Post('shares')
  @HttpCode(202)
  share(@Param() { id }: PostIdParam, @Body() { user }: EngagementDto) {
    return this.engagement.record(id, user, 'share');
  }

  @Post('hide')
  @HttpCode(202)
  hide(@Param() { id }: PostIdParam, @Body() { user }: EngagementDto) {
    return this.engagement.record(id, user, 'hide');
  }

  @Get('stats')
  stats(@Param() { id }: PostIdParam) {
    return this.engagement.stats(id);
  }
}
