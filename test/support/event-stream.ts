import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { JetStreamEventLog } from '@app/eventlog';

/** The NATS server with JetStream the test harness found or started. */
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** An event stream name no other test uses. */
export function testEventStream(): string {
  return `test-events-${randomUUID().slice(0, 8)}`;
}

/** Makes closing `app` also remove `stream`, so test runs leave nothing on the shared server. */
export function removingStreamOnClose(app: INestApplication, stream: string): INestApplication {
  const close = app.close.bind(app);
  app.close = async () => {
    await close();
    const log = await JetStreamEventLog.open({ url: TEST_NATS_URL, stream });
    await log.destroy();
    await log.close();
  };
  return app;
}
