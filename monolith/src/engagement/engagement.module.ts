import { Module } from '@nestjs/common';
import { PostsModule } from '../posts/posts.module';
import { EngagementController } from './engagement.controller';
import { EngagementRepository } from './engagement.repository';
import { EngagementService } from './engagement.service';

@Module({
  imports: [PostsModule],
  controllers: [EngagementController],
  providers: [EngagementRepository, EngagementService],
  exports: [EngagementRepository],
})
export class EngagementModule {}
