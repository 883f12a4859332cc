import { Module } from '@nestjs/common';
import { PostsModule } from '../posts/posts.module';
import { JobsController } from './jobs.controller';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';

@Module({
  imports: [PostsModule],
  controllers: [JobsController],
  providers: [JobsRepository, JobsService],
})
export class JobsModule {}
