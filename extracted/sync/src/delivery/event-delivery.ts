import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { ApplyEventsResult, PATTERNS, RelayedEvent } from '@app/contracts';
import { AppLogger, LOGGER } from '@app/observability';
import { ServiceClients, isServiceName } from '@app/transport';
import { EventLogRepository, SEGMENT_SIZE, segmentOf } from '../log/event-log.repository';
import { OutboxDrainer } from '../outbox/outbox-drainer';
import { SyncConfig } from '../sync.config';
import { MonolithApplierRepository } from './monolith-applier.repository';

const MONOLITH_CONSUMER = 'monolith';
const MAX_BACKOFF_MS = 2000;

type Deliver = (events: RelayedEvent[]) => Promise<unknown>;

/**
 * Delivers the log to each consumer in order, at least once: a consumer's
 * checkpoint moves only after it acknowledged a batch, and consumers apply
 * each event at most once, so together every event is applied exactly once.
 */
@Injectable()
export class EventDelivery implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopped = false;
  private loops: Promise<void>[] = [];
  private readonly delivered: Counter;
  private readonly lag: Gauge;

  constructor(
    private readonly log: EventLogRepository,
    private readonly drainer: OutboxDrainer,
    private readonly clients: ServiceClients,
    private readonly monolith: MonolithApplierRepository,
    private readonly config: SyncConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
    registry: Registry,
  ) {
    this.delivered = new Counter({
      name: 'sync_events_delivered_total',
      help: 'Events acknowledged by a consumer',
      labelNames: ['consumer'],
      registers: [registry],
    });
    this.lag = new Gauge({
      name: 'sync_consumer_lag_events',
      help: 'Events in the log not yet acknowledged by a consumer',
      labelNames: ['consumer'],
      registers: [registry],
    });
  }

  onApplicationBootstrap(): void {
    const consumers = this.config.SYNC_CONSUMERS.split(',').filter(Boolean);
    for (const consumer of consumers) {
      if (consumer !== MONOLITH_CONSUMER && !isServiceName(consumer)) {
        throw new Error(`SYNC_CONSUMERS names an unknown consumer "${consumer}"`);
      }
    }
    this.loops = consumers.map((consumer) => this.run(consumer, this.deliverTo(consumer)));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  private deliverTo(consumer: string): Deliver {
    if (consumer === MONOLITH_CONSUMER) {
      return async (events) => {
        for (const event of events) await this.monolith.apply(event);
      };
    }
    if (!isServiceName(consumer)) throw new Error(`unknown consumer ${consumer}`);
    const client = this.clients.get(consumer);
    return (events) => client.send<ApplyEventsResult>(PATTERNS[consumer].applyEvents, { events });
  }

  private async run(consumer: string, deliver: Deliver): Promise<void> {
    let backoff = this.config.SYNC_POLL_MS;
    while (!this.stopped) {
      let sent = 0;
      try {
        sent = await this.deliverOnce(consumer, deliver);
        backoff = this.config.SYNC_POLL_MS;
      } catch (error) {
        this.logger.warn({ consumer, err: (error as Error).message }, 'delivery failed; will retry the same events');
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
      if (sent === 0 && !this.stopped) await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  }

  /** Sends the next batch after the consumer's checkpoint; returns how many events were acknowledged. */
  async deliverOnce(consumer: string, deliver: Deliver): Promise<number> {
    const { position, epoch } = await this.log.checkpoint(consumer);
    const head = this.drainer.position;
    this.lag.set({ consumer }, Math.max(0, head - position));
    if (position >= head) return 0;
    const events = (await this.log.segment(segmentOf(position + 1)))
      .filter((event) => event.position > position)
      .slice(0, this.config.SYNC_BATCH);
    if (events.length === 0) {
      // Positions lost to a crash between numbering and writing leave a gap: skip to the next segment.
      await this.log.advance(consumer, epoch, Math.min(head, (segmentOf(position + 1) + 1) * SEGMENT_SIZE));
      return 0;
    }
    await deliver(events);
    const last = events[events.length - 1].position;
    if (await this.log.advance(consumer, epoch, last)) this.delivered.inc({ consumer }, events.length);
    return events.length;
  }
}
