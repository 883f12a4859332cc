import { Matches } from 'class-validator';
import { BaseEnv, DB_NAME_PATTERN, MONGO_URL_PATTERN } from '@app/config';

/** The variables `npm run import` reads. */
export class ImportConfig extends BaseEnv {
  @Matches(MONGO_URL_PATTERN, {
    message: 'MONGO_URL must be a mongodb:// or mongodb+srv:// URL (`npm run store` starts one and prints it)',
  })
  MONGO_URL: string;

  @Matches(DB_NAME_PATTERN, { message: 'MONGO_DB must be 1-63 letters, digits, _ or -' })
  MONGO_DB = 'reddit';
}
