import { IsString, Matches } from 'class-validator';
import { DB_NAME_PATTERN, HttpEnv, MONGO_URL_PATTERN } from '@app/config';

/** Every variable the monolith reads, validated at boot. */
export class MonolithConfig extends HttpEnv {
  override PORT: number = 3001;

  @Matches(MONGO_URL_PATTERN, { message: 'MONGO_URL must be a mongodb:// or mongodb+srv:// URL' })
  MONGO_URL: string;

  @Matches(DB_NAME_PATTERN, { message: 'MONGO_DB must be 1-63 letters, digits, _ or -' })
  MONGO_DB: string = 'reddit';

  /** Base URL used in absolute links (Location headers stay relative). */
  @IsString()
  PUBLIC_URL: string = '';
}
