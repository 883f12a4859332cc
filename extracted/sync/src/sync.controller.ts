import { Controller, Get, Header, ServiceUnavailableException } from '@nestjs/common';
import { Registry } from 'prom-client';
import { StoreHealth } from '@app/data';
import { EventLog } from '@app/eventlog';
import { InjectEventLog } from './log/event-log.providers';
import { OutboxDrainer } from './outbox/outbox-drainer';

@Controller()
export class SyncController {
  constructor(
    private readonly store: StoreHealth,
    @InjectEventLog() private readonly log: EventLog,
    private readonly drainer: OutboxDrainer,
    private readonly registry: Registry,
  ) {}

  @Get('health')
  async health() {
    if (!(await this.store.isUp())) throw new ServiceUnavailableException('sync store is unreachable');
    let position: number;
    let consumers: Awaited<ReturnType<EventLog['status']>>;
    try {
      [position, consumers] = await Promise.all([this.log.head(), this.log.status()]);
    } catch {
      throw new ServiceUnavailableException('the event log is unreachable');
    }
    return {
      status: 'ok',
      service: 'sync',
      store: 'up',
      log: 'up',
      position,
      pending: this.drainer.pending,
      checkpoints: Object.fromEntries(consumers.map((consumer) => [consumer.name, consumer.ackFloor])),
    };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  metrics() {
    return this.registry.metrics();
  }
}
