import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  EVENTS,
  EngagementRecordedPayload,
  MONOLITH_ORIGIN,
  PostTaggedPayload,
  PreferencesUpdatedPayload,
  RelayedEvent,
} from '@app/contracts';
import {
  DEFAULT_ACK_WAIT_MS,
  EventLog,
  JetStreamEventLog,
  LogConsumer,
  MONOLITH_CONSUMER,
  consume,
} from '@app/eventlog';
import { AppLogger, LOGGER } from '@app/observability';
import { engagementId } from '../engagement/engagement.document';
import { EngagementRepository } from '../engagement/engagement.repository';
import { MonolithConfig } from '../monolith.config';
import { PreferencesRepository } from '../preferences/preferences.repository';
import { TagsRepository } from '../tags/tags.repository';

const DELIVERY_SIZE = 100;
const RETRY_MS = 500;

/**
 * Applies the writes that extracted services took while they owned a route
 * (tags, likes, preferences), read from the event log as the durable
 * consumer `monolith`, so that a flip back to the monolith loses nothing.
 * They are stored without an event of their own: they are in the log already.
 */
@Injectable()
export class OwnedWritesService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly stop = new AbortController();
  private loop?: Promise<void>;
  private log?: EventLog;
  /** Set while the log cannot be read, so that an outage is logged once, not every retry. */
  private failing = false;

  constructor(
    private readonly config: MonolithConfig,
    private readonly engagements: EngagementRepository,
    private readonly tags: TagsRepository,
    private readonly preferences: PreferencesRepository,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.loop = consume(
      () => this.openConsumer(),
      async (events) => {
        for (const event of events) await this.apply(event);
      },
      {
        batch: DELIVERY_SIZE,
        ackWaitMs: DEFAULT_ACK_WAIT_MS,
        retryMs: RETRY_MS,
        signal: this.stop.signal,
        onError: (error, stage) => {
          // An outage is logged once, not at every retry; an event that cannot be applied, every time.
          if (stage === 'apply' || !this.failing) {
            const what = stage === 'apply' ? 'applying a service-owned write failed' : 'the event log is unreachable';
            this.logger.warn({ err: (error as Error).message }, `${what}; retrying`);
          }
          this.failing = stage === 'read';
        },
        onApplied: () => (this.failing = false),
      },
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.loop;
    await this.log?.close();
  }

  private async openConsumer(): Promise<LogConsumer> {
    this.log ??= await JetStreamEventLog.open({ url: this.config.NATS_URL, stream: this.config.EVENT_STREAM });
    const consumer = await this.log.consumer(MONOLITH_CONSUMER);
    this.failing = false;
    return consumer;
  }

  /** True when the event changed the monolith's data. */
  async apply(event: RelayedEvent): Promise<boolean> {
    if (event.origin === MONOLITH_ORIGIN) return false;
    switch (event.type) {
      case EVENTS.postTagged:
        return this.tags.replaceOwnedTags(event.payload as PostTaggedPayload);
      case EVENTS.engagementRecorded: {
        const { post_id, user, kind } = event.payload as EngagementRecordedPayload;
        const _id = engagementId(post_id, user, kind);
        return this.engagements.insertOwned({ _id, post_id, user, kind, at: event.at });
      }
      case EVENTS.preferencesUpdated:
        await this.preferences.saveOwned(event.payload as PreferencesUpdatedPayload);
        return true;
      default:
        return false;
    }
  }
}
