import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { PageQueryDto, TagParam } from '@app/contracts';
import { PostIdParam } from '../posts/dto/post-id.param';
import { ReplaceTagsDto } from './dto/replace-tags.dto';
import { TagsService } from './tags.service';

@Controller()
export class TagsController {
  constructor(private readonly tags: TagsService) {}

  @Get('tags')
  counts() {
    return this.tags.counts();
  }

  @Get('tags/:tag/posts')
  postsWithTag(@Param() { tag }: TagParam, @Query() query: PageQueryDto) {
    return this.tags.postsWithTag(tag, query);
  }

  @Get('posts/:id/tags')
  ofPost(@Param() { id }: PostIdParam) {
    return this.tags.ofPost(id);
  }

  @Put('posts/:id/tags')
  replace(@Param() { id }: PostIdParam, @Body() input: ReplaceTagsDto) {
    return this.tags.replaceManualTags(id, input);
  }
}
