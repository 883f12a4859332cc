import { ServiceEnv } from '@app/transport';

export class SearchConfig extends ServiceEnv {
  override PORT: number = 3101;
  override MONGO_DB: string = 'search';
}
