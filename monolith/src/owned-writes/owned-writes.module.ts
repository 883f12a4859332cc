import { Module } from '@nestjs/common';
import { EngagementModule } from '../engagement/engagement.module';
import { PreferencesModule } from '../preferences/preferences.module';
import { TagsModule } from '../tags/tags.module';
import { OwnedWritesService } from './owned-writes.service';

@Module({
  imports: [EngagementModule, TagsModule, PreferencesModule],
  providers: [OwnedWritesService],
})
export class OwnedWritesModule {}
