import { Module } from '@nestjs/common';
import { PostsModule } from '../posts/posts.module';
import { PreferencesModule } from '../preferences/preferences.module';
import { RecommendationsController } from './recommendations.controller';
import { RecommendationsRepository } from './recommendations.repository';
import { RecommendationsService } from './recommendations.service';

@Module({
  imports: [PostsModule, PreferencesModule],
  controllers: [RecommendationsController],
  providers: [RecommendationsRepository, RecommendationsService],
})
export class RecommendationsModule {}
