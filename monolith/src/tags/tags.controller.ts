import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { PageQueryDto, PostIdParam, ReplaceTagsDto, TagParam } from '@app/contracts';
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
