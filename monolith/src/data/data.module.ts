import { Module } from '@nestjs/common';
import { PostsModule } from '../posts/posts.module';
import { DataController } from './data.controller';
import { DataService } from './data.service';

@Module({
  imports: [PostsModule],
  controllers: [DataController],
  providers: [DataService],
})
export class DataModule {}
