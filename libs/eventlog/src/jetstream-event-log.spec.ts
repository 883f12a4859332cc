import { describeEventLogContract } from './testing/event-log.contract';
import { JetStreamEventLog } from './jetstream-event-log';

const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

describeEventLogContract('NATS JetStream', (stream, ackWaitMs) =>
  JetStreamEventLog.open({ url: NATS_URL, stream, ackWaitMs }),
);
