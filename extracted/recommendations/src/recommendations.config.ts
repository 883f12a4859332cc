import { ServiceEnv } from '@app/transport';

export class RecommendationsConfig extends ServiceEnv {
  override PORT: number = 3102;
  override MONGO_DB: string = 'recommendations';
}
