import { bootstrapHttp } from '@app/platform';
import { SyncConfig } from './sync.config';
import { SyncModule } from './sync.module';

void bootstrapHttp(SyncModule, { name: 'sync', config: SyncConfig });
