import { Module } from '@nestjs/common';
import { SerialQueue, ServiceKitModule } from '@app/transport';
import { PreferencesRepository } from './preferences.repository';
import { PreferencesService } from './preferences.service';
import { TaggingConfig } from './tagging.config';
import { TaggingStreamService } from './tagging-stream.service';
import { TaggingController } from './tagging.controller';
import { TagsRepository } from './tags.repository';
import { TagsService } from './tags.service';

@Module({
  imports: [ServiceKitModule.forService('tagging', TaggingConfig)],
  controllers: [TaggingController],
  // One queue for the whole service: its own writes and the stream's never interleave.
  providers: [
    SerialQueue,
    TagsRepository,
    TagsService,
    PreferencesRepository,
    PreferencesService,
    TaggingStreamService,
  ],
})
export class TaggingModule {}
