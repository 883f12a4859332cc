import { bootstrapHttp } from '@app/platform';
import { AppModule } from './app.module';
import { MonolithConfig } from './monolith.config';

void bootstrapHttp(AppModule, { name: 'monolith', config: MonolithConfig });
