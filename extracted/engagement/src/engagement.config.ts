import { ServiceEnv } from '@app/transport';

export class EngagementConfig extends ServiceEnv {
  override PORT: number = 3104;
  override MONGO_DB: string = 'engagement';
}
