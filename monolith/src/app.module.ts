import { Module } from '@nestjs/common';
import { MongoModule } from '@app/data';
import { OutboxSignal } from '@app/eventlog';
import { DataModule } from './data/data.module';
import { EngagementModule } from './engagement/engagement.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { MonolithConfig } from './monolith.config';
import { OwnedWritesModule } from './owned-writes/owned-writes.module';
import { PostsModule } from './posts/posts.module';
import { PreferencesModule } from './preferences/preferences.module';
import { RecommendationsModule } from './recommendations/recommendations.module';
import { SearchModule } from './search/search.module';
import { TagsModule } from './tags/tags.module';

@Module({
  imports: [
    MongoModule.forRootAsync({
      inject: [MonolithConfig],
      useFactory: (config: MonolithConfig) => ({ url: config.MONGO_URL, dbName: config.MONGO_DB }),
      outboxWaker: {
        inject: [MonolithConfig],
        useFactory: (config: MonolithConfig) => new OutboxSignal(config.NATS_URL, config.EVENT_STREAM),
      },
    }),
    HealthModule,
    PostsModule,
    SearchModule,
    RecommendationsModule,
    TagsModule,
    PreferencesModule,
    EngagementModule,
    JobsModule,
    DataModule,
    OwnedWritesModule,
  ],
})
export class AppModule {}
