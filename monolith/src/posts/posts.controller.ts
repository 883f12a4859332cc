import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PageQueryDto, PostIdParam } from '@app/contracts';
import { CreatePostDto } from './dto/create-post.dto';
import { PostsService } from './posts.service';

@Controller('posts')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Get()
  list(@Query() query: PageQueryDto) {
    return this.posts.list(query);
  }

  @Get(':id')
  get(@Param() { id }: PostIdParam) {
    return this.posts.get(id);
  }

  @Post()
  @HttpCode(201)
  async create(@Body() input: CreatePostDto, @Res({ passthrough: true }) res: Response) {
    const post = await this.posts.create(input);
    res.location(`/posts/${post.id}`);
    return post;
  }
}
