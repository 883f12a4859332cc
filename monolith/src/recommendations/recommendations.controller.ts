import { Controller, Get, Param, Query } from '@nestjs/common';
import { RecommendationsQueryDto, UserParam } from '@app/contracts';
import { RecommendationsService } from './recommendations.service';

@Controller()
export class RecommendationsController {
  constructor(private readonly recommendations: RecommendationsService) {}

  @Get('recommendations')
  top(@Query() { limit }: RecommendationsQueryDto) {
    return this.recommendations.top(limit);
  }

  @Get('users/:user/recommendations')
  forUser(@Param() { user }: UserParam, @Query() { limit }: RecommendationsQueryDto) {
    return this.recommendations.forUser(user, limit);
  }
}
