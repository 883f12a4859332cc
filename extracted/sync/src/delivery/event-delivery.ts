import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { ApplyEventsResult, PATTERNS, RelayedEvent } from '@app/contracts';
import { Delivery, EventLog, LogConsumer } from '@app/eventlog';
import { AppLogger, LOGGER } from '@app/observability';
import { ServiceClients, isServiceName } from '@app/transport';
import { InjectEventLog } from '../log/event-log.providers';
import { SyncConfig } from '../sync.config';
import { MonolithApplierRepository } from './monolith-applier.repository';

export const MONOLITH_CONSUMER = 'monolith';
const MAX_BACKOFF_MS = 2000;
/** How long one wait for new events lasts; the loop checks for shutdown in between. */
const WAIT_MS = 1000;

type Deliver = (events: RelayedEvent[]) => Promise<unknown>;

/**
 * Delivers the log to each consumer in order, at least once: a consumer's
 * events are acknowledged in the log only after the consumer applied them,
 * and consumers apply each event at most once, so together every event is
 * applied exactly once. Each consumer is a durable consumer of the log.
 */
@Injectable()
export class EventDelivery implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopped = false;
  private loops: Promise<void>[] = [];
  private readonly delivered: Counter;

  constructor(
    @InjectEventLog() private readonly log: EventLog,
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
    const eventLog = this.log;
    new Gauge({
      name: 'sync_consumer_lag_events',
      help: 'Events in the log not yet acknowledged by a consumer',
      labelNames: ['consumer'],
      registers: [registry],
      async collect() {
        for (const status of await eventLog.status())
          this.set({ consumer: status.name }, status.pending + status.awaitingAck);
      },
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

  async beforeApplicationShutdown(): Promise<void> {
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
    const timeoutMs = this.config.SYNC_DELIVERY_TIMEOUT_MS;
    return (events) => client.send<ApplyEventsResult>(PATTERNS[consumer].applyEvents, { events }, { timeoutMs });
  }

  private async run(name: string, deliver: Deliver): Promise<void> {
    let consumer: LogConsumer | undefined;
    let backoff = this.config.SYNC_POLL_MS;
    while (!this.stopped) {
      try {
        consumer ??= await this.log.consumer(name);
        const delivery = await consumer.next(this.config.SYNC_BATCH, WAIT_MS);
        if (delivery.events.length > 0) await this.deliverUntilApplied(name, deliver, delivery);
        backoff = this.config.SYNC_POLL_MS;
      } catch (error) {
        this.logger.warn({ consumer: name, err: (error as Error).message }, 'reading the event log failed; retrying');
        await this.pause(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /**
   * Sends one delivery until the consumer applies it, then acknowledges it.
   * On shutdown it is left unacknowledged: the log sends it again later.
   */
  private async deliverUntilApplied(name: string, deliver: Deliver, delivery: Delivery): Promise<void> {
    // A slow consumer keeps its events: the log must not hand them out again meanwhile.
    const keepAlive = setInterval(() => delivery.extend(), this.config.SYNC_ACK_WAIT_MS / 2);
    let backoff = this.config.SYNC_POLL_MS;
    try {
      while (!this.stopped) {
        try {
          await deliver(delivery.events);
          await delivery.ack();
          this.delivered.inc({ consumer: name }, delivery.events.length);
          return;
        } catch (error) {
          const err = (error as Error).message;
          this.logger.warn({ consumer: name, err }, 'delivery failed; will retry the same events');
          await this.pause(backoff);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
      }
    } finally {
      clearInterval(keepAlive);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
