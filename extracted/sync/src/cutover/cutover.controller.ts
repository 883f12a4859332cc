import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CutoverService } from './cutover.service';
import { CutoverDto } from './dto/cutover.dto';

@Controller('cutover')
export class CutoverController {
  constructor(private readonly cutover: CutoverService) {}

  /** 200 once `consumer` has applied every event announced before the call; 504 after `timeoutMs`. */
  @Post()
  @HttpCode(200)
  awaitCaughtUp(@Body() { consumer, timeoutMs }: CutoverDto) {
    return this.cutover.awaitCaughtUp(consumer, timeoutMs);
  }
}
