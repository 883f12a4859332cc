import { Controller, Get, Query } from '@nestjs/common';
import { SearchQueryDto } from '@app/contracts';
import { SearchService } from './search.service';

@Controller('search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get()
  query(@Query() query: SearchQueryDto) {
    return this.search.query(query);
  }
}
