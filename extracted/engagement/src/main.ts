import { bootstrapService } from '@app/transport';
import { EngagementConfig } from './engagement.config';
import { EngagementModule } from './engagement.module';

void bootstrapService(EngagementModule, { name: 'engagement', config: EngagementConfig });
