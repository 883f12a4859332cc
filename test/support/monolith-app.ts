import { INestApplication } from '@nestjs/common';
import { createHttpApp } from '@app/platform';
import { AppModule } from '../../monolith/src/app.module';
import { MonolithConfig } from '../../monolith/src/monolith.config';
import { testMongoUrl } from './store';

/** The monolith, fully configured but not listening, on its own database. */
export async function createMonolithApp(dbName: string, env: NodeJS.ProcessEnv = {}): Promise<INestApplication> {
  const { app } = await createHttpApp(AppModule, {
    name: 'monolith',
    config: MonolithConfig,
    env: { MONGO_URL: testMongoUrl(), MONGO_DB: dbName, LOG_LEVEL: 'silent', ...env },
  });
  return app;
}
