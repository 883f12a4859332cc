import { Module } from '@nestjs/common';
import { SerialQueue, ServiceKitModule } from '@app/transport';
import { SearchConfig } from './search.config';
import { SearchController } from './search.controller';
import { SearchRepository } from './search.repository';
import { SearchService } from './search.service';

@Module({
  imports: [ServiceKitModule.forService('search', SearchConfig)],
  controllers: [SearchController],
  // Deliveries and resets one at a time: the index follows the store's order of writes.
  providers: [SerialQueue, SearchRepository, SearchService],
})
export class SearchModule {}
