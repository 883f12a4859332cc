import { Matches } from 'class-validator';
import { DB_NAME_PATTERN, MONGO_URL_PATTERN } from '@app/config';
import { TransportEnv } from './transport.env';

/** Variables of an extracted service: the transport plus its own database. */
export class ServiceEnv extends TransportEnv {
  @Matches(MONGO_URL_PATTERN, { message: 'MONGO_URL must be a mongodb:// or mongodb+srv:// URL' })
  MONGO_URL: string;

  @Matches(DB_NAME_PATTERN, { message: 'MONGO_DB must be 1-63 letters, digits, _ or -' })
  MONGO_DB: string;
}
