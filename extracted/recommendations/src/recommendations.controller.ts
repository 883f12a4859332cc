import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { RelayedEvent, PATTERNS, RecommendationsQueryDto, UserRecommendationsMessage } from '@app/contracts';
import { Delivery, Message } from '@app/transport';
import { RecommendationsService } from './recommendations.service';

@Controller()
export class RecommendationsController {
  constructor(private readonly recommendations: RecommendationsService) {}

  @MessagePattern(PATTERNS.recommendations.list)
  list(@Message() { limit }: RecommendationsQueryDto) {
    return this.recommendations.top(limit);
  }

  @MessagePattern(PATTERNS.recommendations.forUser)
  forUser(@Message() { user, limit }: UserRecommendationsMessage) {
    return this.recommendations.forUser(user, limit);
  }

  @MessagePattern(PATTERNS.recommendations.applyEvents)
  apply(@Delivery() events: RelayedEvent[]) {
    return this.recommendations.apply(events);
  }

  @MessagePattern(PATTERNS.recommendations.reset)
  reset() {
    return this.recommendations.reset();
  }
}
