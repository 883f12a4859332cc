import { IsInt, Matches, Max, Min } from 'class-validator';
import { DB_NAME_PATTERN, MONGO_URL_PATTERN } from '@app/config';
import { TransportEnv } from '@app/transport';

const DB_NAME_RULE = { message: '$property must be 1-63 letters, digits, _ or -' };

/** The relay: its own database for the log and checkpoints, and the databases whose outboxes it drains. */
export class SyncConfig extends TransportEnv {
  override PORT: number = 3105;

  @Matches(MONGO_URL_PATTERN, { message: 'MONGO_URL must be a mongodb:// or mongodb+srv:// URL' })
  MONGO_URL: string;

  @Matches(DB_NAME_PATTERN, DB_NAME_RULE)
  MONGO_DB: string = 'sync';

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

  /** Pause between polls when there is nothing to do. */
  @IsInt()
  @Min(10)
  @Max(60_000)
  SYNC_POLL_MS: number = 200;

  /** Events per delivery. */
  @IsInt()
  @Min(1)
  @Max(1000)
  SYNC_BATCH: number = 100;

  /** A pointer whose event never appeared in its document after this long was left by a failed write. */
  @IsInt()
  @Min(1000)
  SYNC_ORPHAN_MS: number = 30_000;

  /** Which consumers to deliver to: extracted services, plus `monolith` for writes owned by a service. */
  @Matches(/^[a-z,]+$/, { message: 'SYNC_CONSUMERS must be a comma-separated list of consumer names' })
  SYNC_CONSUMERS: string = 'search,recommendations,tagging,engagement,monolith';
}
