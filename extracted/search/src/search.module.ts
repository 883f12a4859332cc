import { Module } from '@nestjs/common';
import { ServiceKitModule } from '@app/transport';
import { SearchConfig } from './search.config';
import { SearchController } from './search.controller';
import { SearchRepository } from './search.repository';
import { SearchService } from './search.service';

@Module({
  imports: [ServiceKitModule.forService('search', SearchConfig)],
  controllers: [SearchController],
  providers: [SearchRepository, SearchService],
})
export class SearchModule {}
