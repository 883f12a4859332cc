import { INestApplication } from '@nestjs/common';
import { createHttpApp } from '@app/platform';
import { AppModule } from '../../monolith/src/app.module';
import { MonolithConfig } from '../../monolith/src/monolith.config';
import { TEST_NATS_URL, removingStreamOnClose, testEventStream } from './event-stream';
import { testMongoUrl } from './store';

/** The monolith, fully configured but not listening, on its own database and event stream. */
export async function createMonolithApp(dbName: string, env: NodeJS.ProcessEnv = {}): Promise<INestApplication> {
  const stream = env.EVENT_STREAM ?? testEventStream();
  const { app } = await createHttpApp(AppModule, {
    name: 'monolith',
    config: MonolithConfig,
    env: {
      MONGO_URL: testMongoUrl(),
      MONGO_DB: dbName,
      LOG_LEVEL: 'silent',
      NATS_URL: TEST_NATS_URL,
      EVENT_STREAM: stream,
      ...env,
    },
  });
  return removingStreamOnClose(app, stream);
}
