import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { GatewayConfig, REPO_ROOT } from '../gateway.config';

/** The Graphviz text `npm run graph` wrote, for the dashboard to draw. */
@Controller('_gateway/graph.dot')
export class DependencyMapController {
  constructor(private readonly config: GatewayConfig) {}

  @Get()
  @Header('content-type', 'text/vnd.graphviz; charset=utf-8')
  async dot(): Promise<string> {
    try {
      return await readFile(this.config.GRAPH_DOT_FILE, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new NotFoundException(
        `no dependency map at ${relative(REPO_ROOT, this.config.GRAPH_DOT_FILE)} yet: run npm run graph`,
      );
    }
  }
}
