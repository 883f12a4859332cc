import { Module } from '@nestjs/common';
import { MongoModule } from '@app/data';
import { DataModule } from './data/data.module';
import { EngagementModule } from './engagement/engagement.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { MonolithConfig } from './monolith.config';
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
  ],
})
export class AppModule {}
