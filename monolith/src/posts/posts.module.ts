import { Module } from '@nestjs/common';
import { PostCatalog } from '@app/posts';
import { PostsMaintenance } from './posts-maintenance.service';
import { PostsController } from './posts.controller';
import { PostsRepository } from './posts.repository';
import { PostsService } from './posts.service';

@Module({
  controllers: [PostsController],
  providers: [PostCatalog, PostsRepository, PostsService, PostsMaintenance],
  exports: [PostCatalog, PostsService, PostsMaintenance],
})
export class PostsModule {}
