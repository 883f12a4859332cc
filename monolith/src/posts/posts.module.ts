import { Module } from '@nestjs/common';
import { PostsMaintenance } from './posts-maintenance.service';
import { PostsController } from './posts.controller';
import { PostsRepository } from './posts.repository';
import { PostsService } from './posts.service';

@Module({
  controllers: [PostsController],
  providers: [PostsRepository, PostsService, PostsMaintenance],
  exports: [PostsService, PostsMaintenance],
})
export class PostsModule {}
