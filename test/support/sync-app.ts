import { INestApplication } from '@nestjs/common';
import { createHttpApp } from '@app/platform';
import { SyncConfig } from '../../extracted/sync/src/sync.config';
import { SyncModule } from '../../extracted/sync/src/sync.module';
import { TEST_NATS_URL, removingStreamOnClose, testEventStream } from './event-stream';
import { testMongoUrl } from './store';

export interface SyncDatabases {
  MONOLITH_DB: string;
  SEARCH_DB?: string;
  RECOMMENDATIONS_DB?: string;
  TAGGING_DB?: string;
  ENGAGEMENT_DB?: string;
}

/** The relay in this process, polling fast, delivering to `consumers`, on an event stream of its own. */
export async function startSync(
  env: Record<string, string>,
  databases: SyncDatabases,
  consumers: string[],
): Promise<INestApplication> {
  const stream = env.EVENT_STREAM ?? testEventStream();
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
  return removingStreamOnClose(app, stream);
}
