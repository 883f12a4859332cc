import { Controller, Get, Query } from '@nestjs/common';
import { DataQueryDto } from './dto/data-query.dto';
import { DataService } from './data.service';

@Controller('data')
export class DataController {
  constructor(private readonly data: DataService) {}

  @Get()
  page(@Query() query: DataQueryDto) {
    return this.data.page(query);
  }
}
