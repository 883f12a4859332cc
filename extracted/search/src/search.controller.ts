import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { RelayedEvent, PATTERNS, SearchQueryDto } from '@app/contracts';
import { Delivery, Message } from '@app/transport';
import { SearchService } from './search.service';

@Controller()
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @MessagePattern(PATTERNS.search.query)
  query(@Message() query: SearchQueryDto) {
    return this.search.query(query);
  }

  @MessagePattern(PATTERNS.search.applyEvents)
  apply(@Delivery() events: RelayedEvent[]) {
    return this.search.apply(events);
  }

  @MessagePattern(PATTERNS.search.reset)
  reset() {
    return this.search.reset();
  }
}
