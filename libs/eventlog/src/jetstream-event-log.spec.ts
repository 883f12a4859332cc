import { describeEventLogContract } from './testing/event-log.contract';
import { JetStreamEventLog } from './jetstream-event-log';
import { TEST_NATS_URL } from '../../../test/support/event-stream';

describeEventLogContract('NATS JetStream', (stream, ackWaitMs) =>
  JetStreamEventLog.open({ url: TEST_NATS_URL, stream, ackWaitMs }),
);
