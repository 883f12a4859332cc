import { randomUUID } from 'node:crypto';
import { DomainEvent, EVENTS, RelayedEvent, domainEvent } from '@app/contracts';
import type { EventLog, LogConsumer } from '../event-log';

/** Opens a log on a fresh, empty stream; `ackWaitMs` is how long an unacknowledged event waits. */
export type OpenLog = (stream: string, ackWaitMs: number) => Promise<EventLog & { destroy(): Promise<void> }>;

const ACK_WAIT_MS = 1000;

function events(count: number, aggregate = 'post:a'): DomainEvent[] {
  return Array.from({ length: count }, (_, index) =>
    domainEvent(EVENTS.preferencesUpdated, aggregate, { user: `u${index}`, tags: [], hiddenTags: [] }),
  );
}

/** Takes deliveries until `count` events came, acknowledging each when `ack` is set. */
async function take(consumer: LogConsumer, count: number, ack = true): Promise<RelayedEvent[]> {
  const taken: RelayedEvent[] = [];
  for (let attempt = 0; taken.length < count && attempt < 50; attempt++) {
    const delivery = await consumer.next(count - taken.length, 2000);
    taken.push(...delivery.events);
    if (ack) await delivery.ack();
  }
  return taken;
}

/** The behaviour every EventLog implementation keeps; run by each implementation's spec. */
export function describeEventLogContract(name: string, open: OpenLog): void {
  describe(`EventLog contract: ${name}`, () => {
    const opened: (EventLog & { destroy(): Promise<void> })[] = [];
    let stream: string;

    const openLog = async () => {
      const log = await open(stream, ACK_WAIT_MS);
      opened.push(log);
      return log;
    };

    beforeEach(() => {
      stream = `contract-${randomUUID().slice(0, 8)}`;
    });

    afterEach(async () => {
      await opened[0]?.destroy();
      for (const log of opened.splice(0)) await log.close();
    });

    it('delivers appended events in order, positions counting from 1', async () => {
      const log = await openLog();
      const appended = events(5);
      await log.append(appended);
      const taken = await take(await log.consumer('search'), 5);
      expect(taken.map((event) => event.id)).toEqual(appended.map((event) => event.id));
      expect(taken.map((event) => event.position)).toEqual([1, 2, 3, 4, 5]);
      expect(taken[0]).toMatchObject({ type: appended[0].type, payload: appended[0].payload });
      expect(await log.head()).toBe(5);
    });

    it('does not append an event id twice', async () => {
      const log = await openLog();
      const appended = events(3);
      await log.append(appended);
      await log.append([...appended, ...events(1)]);
      expect(await log.head()).toBe(4);
    });

    it('does not send acknowledged events again', async () => {
      const log = await openLog();
      await log.append(events(4));
      const consumer = await log.consumer('search');
      await take(consumer, 2);
      const rest = await take(consumer, 2);
      expect(rest.map((event) => event.position)).toEqual([3, 4]);
      const reopened = await (await openLog()).consumer('search');
      expect((await reopened.next(10, 1000)).events).toEqual([]);
    });

    it('sends unacknowledged events again, before later ones, to a consumer opened after a crash', async () => {
      const log = await openLog();
      await log.append(events(3));
      const first = await take(await log.consumer('search'), 2, false);
      expect(first.map((event) => event.position)).toEqual([1, 2]);
      // A second process opens the same durable consumer, as a restarted relay does.
      const again = await take(await (await openLog()).consumer('search'), 3, false);
      expect(again.map((event) => event.position)).toEqual([1, 2, 3]);
      const [status] = await log.status();
      expect(status).toMatchObject({ name: 'search', pending: 0, awaitingAck: 3, ackFloor: 0 });
      expect(status.redelivered).toBeGreaterThan(0);
    });

    it('keeps each consumer at its own position', async () => {
      const log = await openLog();
      await log.append(events(3));
      await take(await log.consumer('search'), 3);
      await take(await log.consumer('tagging'), 1);
      const statuses = await log.status();
      expect(statuses.map(({ name, ackFloor, pending }) => ({ name, ackFloor, pending }))).toEqual([
        { name: 'search', ackFloor: 3, pending: 0 },
        { name: 'tagging', ackFloor: 1, pending: 2 },
      ]);
    });

    it('replays a consumer from a position', async () => {
      const log = await openLog();
      await log.append(events(5));
      await take(await log.consumer('search'), 5);
      await log.replay('search', 3);
      const replayed = await take(await log.consumer('search'), 3);
      expect(replayed.map((event) => event.position)).toEqual([3, 4, 5]);
      await log.replay('search', 1);
      expect((await take(await log.consumer('search'), 5)).map((event) => event.position)).toEqual([1, 2, 3, 4, 5]);
    });

    it('answers an empty delivery when nothing is new', async () => {
      const log = await openLog();
      const delivery = await (await log.consumer('search')).next(10, 100);
      expect(delivery.events).toEqual([]);
      await delivery.ack();
      expect(await log.head()).toBe(0);
    });
  });
}
