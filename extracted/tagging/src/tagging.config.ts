import { ServiceEnv } from '@app/transport';

export class TaggingConfig extends ServiceEnv {
  override PORT: number = 3103;
  override MONGO_DB: string = 'tagging';
}
