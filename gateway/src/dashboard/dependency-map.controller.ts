import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { Controller, Get, NotFoundException, Res } from '@nestjs/common';
import type { Response } from 'express';
import { GatewayConfig, REPO_ROOT } from '../gateway.config';

/** The Graphviz text `npm run graph` wrote, for the dashboard to draw. */
@Controller('_gateway/graph.dot')
export class DependencyMapController {
  constructor(private readonly config: GatewayConfig) {}

  @Get()
  async dot(@Res({ passthrough: true }) res: Response): Promise<string> {
    try {
      const text = await readFile(this.config.GRAPH_DOT_FILE, 'utf8');
      res.type('text/vnd.graphviz; charset=utf-8');
      return text;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new NotFoundException(
        `no dependency map at ${relative(REPO_ROOT, this.config.GRAPH_DOT_FILE)} yet: run npm run graph`,
      );
    }
  }
}
