import { Module } from '@nestjs/common';
import { MongoModule } from '@app/data';
import { HealthModule } from './health/health.module';
import { MonolithConfig } from './monolith.config';
import { PostsModule } from './posts/posts.module';

@Module({
  imports: [
    MongoModule.forRootAsync({
      inject: [MonolithConfig],
      useFactory: (config: MonolithConfig) => ({ url: config.MONGO_URL, dbName: config.MONGO_DB }),
    }),
    HealthModule,
    PostsModule,
  ],
})
export class AppModule {}
