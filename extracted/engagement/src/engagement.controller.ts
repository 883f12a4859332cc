import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { ApplyEventsDto, PATTERNS, PostIdParam, RecordEngagementMessage } from '@app/contracts';
import { Message } from '@app/transport';
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
  apply(@Message() delivery: ApplyEventsDto) {
    return this.engagement.apply(delivery.events);
  }

  @MessagePattern(PATTERNS.engagement.reset)
  reset() {
    return this.engagement.reset();
  }
}
