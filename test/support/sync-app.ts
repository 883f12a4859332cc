import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { JetStreamEventLog } from '@app/eventlog';
import { createHttpApp } from '@app/platform';
import { SyncConfig } from '../../extracted/sync/src/sync.config';
import { SyncModule } from '../../extracted/sync/src/sync.module';
import { testMongoUrl } from './store';

export interface SyncDatabases {
  MONOLITH_DB: string;
  SEARCH_DB?: string;
  RECOMMENDATIONS_DB?: string;
  TAGGING_DB?: string;
  ENGAGEMENT_DB?: string;
}

export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** The relay in this process, polling fast, delivering to `consumers`, on an event stream of its own. */
export async function startSync(
  env: Record<string, string>,
  databases: SyncDatabases,
  consumers: string[],
): Promise<INestApplication> {
  const stream = `test-events-${randomUUID().slice(0, 8)}`;
  const { app } = await createHttpApp(SyncModule, {
    name: 'sync',
    config: SyncConfig,
    env: {
      ...env,
      ...databases,
      MONGO_URL: testMongoUrl(),
      LOG_LEVEL: process.env.SYNC_LOG_LEVEL ?? 'silent',
      PORT: '0',
      SYNC_POLL_MS: '20',
      SYNC_CONSUMERS: consumers.join(','),
      NATS_URL: TEST_NATS_URL,
      EVENT_STREAM: stream,
    },
  });
  // Closing the relay also removes its stream, so test runs leave nothing on the shared server.
  const close = app.close.bind(app);
  app.close = async () => {
    await close();
    const log = await JetStreamEventLog.open({ url: TEST_NATS_URL, stream });
    await log.destroy();
    await log.close();
  };
  return app;
}
