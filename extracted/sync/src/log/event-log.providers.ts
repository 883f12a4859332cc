import { Inject, Injectable, OnApplicationShutdown, Provider } from '@nestjs/common';
import { EventLog, JetStreamEventLog, OutboxSignal } from '@app/eventlog';
import { SyncConfig } from '../sync.config';

export const EVENT_LOG = Symbol('EVENT_LOG');
export const InjectEventLog = (): ParameterDecorator => Inject(EVENT_LOG);

@Injectable()
class EventLogLifecycle implements OnApplicationShutdown {
  constructor(
    @InjectEventLog() private readonly log: EventLog,
    private readonly signal: OutboxSignal,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.log.close(), this.signal.close()]);
  }
}

/** The relay's connection to the event log (NATS JetStream) and to the outboxes' wake-up signal. */
export const EVENT_LOG_PROVIDERS: Provider[] = [
  {
    provide: EVENT_LOG,
    inject: [SyncConfig],
    useFactory: (config: SyncConfig): Promise<EventLog> =>
      JetStreamEventLog.open({ url: config.NATS_URL, stream: config.EVENT_STREAM, ackWaitMs: config.SYNC_ACK_WAIT_MS }),
  },
  {
    provide: OutboxSignal,
    inject: [SyncConfig],
    useFactory: (config: SyncConfig) => new OutboxSignal(config.NATS_URL, config.EVENT_STREAM),
  },
  EventLogLifecycle,
];
