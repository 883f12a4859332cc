import { IsInt, Matches, Max, Min } from 'class-validator';
import { DB_NAME_PATTERN, MONGO_URL_PATTERN } from '@app/config';
import { DEFAULT_EVENT_STREAM, EVENT_STREAM_PATTERN, EVENT_STREAM_RULE } from '@app/eventlog';
import { microserviceNames } from '@app/registry';
import { TransportEnv } from '@app/transport';

const DB_NAME_RULE = { message: '$property must be 1-63 letters, digits, _ or -' };

/**
 * The relay: the databases whose outboxes it drains, and the event log on
 * NATS JetStream (`NATS_URL`) that it fills and delivers to each consumer.
 */
export class SyncConfig extends TransportEnv {
  override PORT: number = 3105;

  @Matches(MONGO_URL_PATTERN, { message: 'MONGO_URL must be a mongodb:// or mongodb+srv:// URL' })
  MONGO_URL: string;

  @Matches(EVENT_STREAM_PATTERN, EVENT_STREAM_RULE)
  EVENT_STREAM: string = DEFAULT_EVENT_STREAM;

  @Matches(DB_NAME_PATTERN, DB_NAME_RULE)
  MONOLITH_DB: string = 'reddit';

  @Matches(DB_NAME_PATTERN, DB_NAME_RULE)
  SEARCH_DB: string = 'search';

  @Matches(DB_NAME_PATTERN, DB_NAME_RULE)
  RECOMMENDATIONS_DB: string = 'recommendations';

  @Matches(DB_NAME_PATTERN, DB_NAME_RULE)
  TAGGING_DB: string = 'tagging';

  @Matches(DB_NAME_PATTERN, DB_NAME_RULE)
  ENGAGEMENT_DB: string = 'engagement';

  /** Pause between outbox polls when there is nothing to do; a write's signal ends it early. */
  @IsInt()
  @Min(10)
  @Max(60_000)
  SYNC_POLL_MS: number = 1000;

  /**
   * How long a consumer may take to apply one delivery (up to SYNC_BATCH
   * events, each a store write) before it is sent again; a resend is safe.
   */
  @IsInt()
  @Min(1000)
  @Max(600_000)
  SYNC_DELIVERY_TIMEOUT_MS: number = 60_000;

  /** How long a consumer's unacknowledged events wait before the log sends them again. */
  @IsInt()
  @Min(1000)
  @Max(600_000)
  SYNC_ACK_WAIT_MS: number = 10_000;

  /** Events per delivery. */
  @IsInt()
  @Min(1)
  @Max(1000)
  SYNC_BATCH: number = 100;

  /** A pointer whose event never appeared in its document after this long was left by a failed write. */
  @IsInt()
  @Min(1000)
  SYNC_ORPHAN_MS: number = 30_000;

  /** Which extracted services to deliver to; by default every microservice of the registry. */
  @Matches(/^[a-z0-9,-]+$/, { message: 'SYNC_CONSUMERS must be a comma-separated list of service names' })
  SYNC_CONSUMERS: string = microserviceNames().join(',');
}
