import { bootstrapService } from '@app/transport';
import { RecommendationsConfig } from './recommendations.config';
import { RecommendationsModule } from './recommendations.module';

void bootstrapService(RecommendationsModule, { name: 'recommendations', config: RecommendationsConfig });
