import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { RelayedEvent, PATTERNS, PostIdParam, RecordEngagementMessage } from '@app/contracts';
import { Delivery, Message } from '@app/transport';
import { EngagementService } from './engagement.service';

@Controller()
export class EngagementController {
  constructor(private readonly engagement: EngagementService) {}

  @MessagePattern(PATTERNS.engagement.record)
  record(@Message() engagement: RecordEngagementMessage) {
    return this.engagement.record(engagement);
  }

  @MessagePattern(PATTERNS.engagement.stats)
  stats(@Message() { id }: PostIdParam) {
    return this.engagement.stats(id);
  }

  @MessagePattern(PATTERNS.engagement.applyEvents)
  apply(@Delivery() events: RelayedEvent[]) {
    return this.engagement.apply(events);
  }

  @MessagePattern(PATTERNS.engagement.reset)
  reset() {
    return this.engagement.reset();
  }
}
