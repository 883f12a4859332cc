import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { ApplyEventsResult, PATTERNS, RelayedEvent } from '@app/contracts';
import { EventLog, consume } from '@app/eventlog';
import { AppLogger, LOGGER } from '@app/observability';
import { ServiceClients, isServiceName } from '@app/transport';
import { InjectEventLog } from '../log/event-log.providers';
import { SyncConfig } from '../sync.config';

type Deliver = (events: RelayedEvent[]) => Promise<unknown>;

/**
 * Delivers the log to each extracted service in order, at least once, over
 * the RPC transport: a service's events are acknowledged in the log only after
 * it applied them, and services apply each event at most once, so together
 * every event is applied exactly once. Each service is a durable consumer of
 * the log. (The monolith consumes its own share, service-owned writes, itself.)
 */
@Injectable()
export class EventDelivery implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly stop = new AbortController();
  private loops: Promise<void>[] = [];
  private readonly delivered: Counter;

  constructor(
    @InjectEventLog() private readonly log: EventLog,
    private readonly clients: ServiceClients,
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
      if (!isServiceName(consumer)) {
        throw new Error(`SYNC_CONSUMERS names an unknown consumer "${consumer}"`);
      }
    }
    this.loops = consumers.map((consumer) => this.run(consumer, this.deliverTo(consumer)));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await Promise.all(this.loops);
  }

  private deliverTo(consumer: string): Deliver {
    if (!isServiceName(consumer)) throw new Error(`unknown consumer ${consumer}`);
    const client = this.clients.get(consumer);
    const timeoutMs = this.config.SYNC_DELIVERY_TIMEOUT_MS;
    return (events) => client.send<ApplyEventsResult>(PATTERNS[consumer].applyEvents, { events }, { timeoutMs });
  }

  private run(name: string, deliver: Deliver): Promise<void> {
    return consume(() => this.log.consumer(name), deliver, {
      batch: this.config.SYNC_BATCH,
      ackWaitMs: this.config.SYNC_ACK_WAIT_MS,
      retryMs: this.config.SYNC_POLL_MS,
      signal: this.stop.signal,
      onError: (error, stage) =>
        this.logger.warn(
          { consumer: name, err: (error as Error).message },
          stage === 'read' ? 'reading the event log failed; retrying' : 'delivery failed; will retry the same events',
        ),
      onApplied: (count) => this.delivered.inc({ consumer: name }, count),
    });
  }
}
