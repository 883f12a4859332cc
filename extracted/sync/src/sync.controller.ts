import { Controller, Get, Header, ServiceUnavailableException } from '@nestjs/common';
import { Registry } from 'prom-client';
import { StoreHealth } from '@app/data';
import { EventLogRepository } from './log/event-log.repository';
import { OutboxDrainer } from './outbox/outbox-drainer';

@Controller()
export class SyncController {
  constructor(
    private readonly store: StoreHealth,
    private readonly log: EventLogRepository,
    private readonly drainer: OutboxDrainer,
    private readonly registry: Registry,
  ) {}

  @Get('health')
  async health() {
    if (!(await this.store.isUp())) throw new ServiceUnavailableException('sync store is unreachable');
    return {
      status: 'ok',
      service: 'sync',
      store: 'up',
      position: this.drainer.position,
      pending: this.drainer.pending,
      checkpoints: await this.log.checkpoints(),
    };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  metrics() {
    return this.registry.metrics();
  }
}
