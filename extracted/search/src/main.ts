import { bootstrapService } from '@app/transport';
import { SearchConfig } from './search.config';
import { SearchModule } from './search.module';

void bootstrapService(SearchModule, { name: 'search', config: SearchConfig });
