import { IsString, Matches } from 'class-validator';
import { DB_NAME_PATTERN, HttpEnv, MONGO_URL_PATTERN } from '@app/config';
import { DEFAULT_EVENT_STREAM, EVENT_STREAM_PATTERN, EVENT_STREAM_RULE } from '@app/eventlog';

/** Every variable the monolith reads, validated at boot. */
export class MonolithConfig extends HttpEnv {
  override PORT: number = 3001;

  @Matches(MONGO_URL_PATTERN, { message: 'MONGO_URL must be a mongodb:// or mongodb+srv:// URL' })
  MONGO_URL: string;

  @Matches(DB_NAME_PATTERN, { message: 'MONGO_DB must be 1-63 letters, digits, _ or -' })
  MONGO_DB: string = 'reddit';

  /** The event log's server: writes signal the relay there, and service-owned writes come back from it. */
  @Matches(/^(nats|tls):\/\/\S+$/, { message: 'NATS_URL must be a nats:// URL' })
  NATS_URL: string = 'nats://127.0.0.1:4222';

  @Matches(EVENT_STREAM_PATTERN, EVENT_STREAM_RULE)
  EVENT_STREAM: string = DEFAULT_EVENT_STREAM;

  /** Base URL used in absolute links (Location headers stay relative). */
  @IsString()
  PUBLIC_URL: string = '';
}
