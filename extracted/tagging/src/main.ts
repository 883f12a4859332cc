import { bootstrapService } from '@app/transport';
import { TaggingConfig } from './tagging.config';
import { TaggingModule } from './tagging.module';

void bootstrapService(TaggingModule, { name: 'tagging', config: TaggingConfig });
