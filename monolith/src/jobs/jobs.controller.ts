import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CreateJobDto } from './dto/create-job.dto';
import { JobIdParam } from './dto/job-id.param';
import { JobsService } from './jobs.service';

@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Post()
  @HttpCode(202)
  async create(@Body() { kind }: CreateJobDto, @Res({ passthrough: true }) res: Response) {
    const job = await this.jobs.create(kind);
    res.location(job.links.self);
    return job;
  }

  /** 200 with the job while it is not done; 303 See Other to its result once it is. */
  @Get(':id')
  async get(@Param() { id }: JobIdParam, @Res() res: Response): Promise<void> {
    const job = await this.jobs.get(id);
    if (job.links.result) res.status(303).location(job.links.result);
    res.json(job);
  }

  @Get(':id/result')
  result(@Param() { id }: JobIdParam) {
    return this.jobs.result(id);
  }
}
