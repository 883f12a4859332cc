import { Injectable } from '@nestjs/common';
import { DomainError, NotFoundError, eventually } from '@app/platform';
import { EventLog, MONOLITH_CONSUMER } from '@app/eventlog';
import { InjectEventLog } from '../log/event-log.providers';
import { OutboxDrainer } from '../outbox/outbox-drainer';
import { SyncConfig } from '../sync.config';

/** How often a waiting cutover looks at the consumer's position again. */
const POLL_MS = 25;

/** The consumer did not catch up in time: the caller keeps the old owner. */
export class CutoverTimeoutError extends DomainError {
  constructor(message: string) {
    super(504, message);
  }
}

export interface CutoverDone {
  consumer: string;
  /** The log position every event announced before the call had reached. */
  position: number;
  ackFloor: number;
}

/**
 * A consistent cutover of a write route: once the outboxes have handed every
 * event announced before the call to the log, waits until the new owner (a
 * consumer of the log) has acknowledged all of them, so it answers with
 * every write the old owner accepted.
 */
@Injectable()
export class CutoverService {
  private readonly consumers: ReadonlySet<string>;

  constructor(
    @InjectEventLog() private readonly log: EventLog,
    private readonly drainer: OutboxDrainer,
    config: SyncConfig,
  ) {
    // The monolith consumes its share of the log itself, from the same stream.
    this.consumers = new Set([...config.SYNC_CONSUMERS.split(',').filter(Boolean), MONOLITH_CONSUMER]);
  }

  async awaitCaughtUp(consumer: string, timeoutMs: number): Promise<CutoverDone> {
    if (!this.consumers.has(consumer)) {
      throw new NotFoundError(
        `consumer ${consumer} is not fed by this relay (consumers: ${[...this.consumers].join(', ')})`,
      );
    }
    const deadline = Date.now() + timeoutMs;
    const late = (what: string) =>
      new CutoverTimeoutError(`${consumer} did not catch up within ${timeoutMs} ms: ${what}`);
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      this.drainer.drained().then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
    if (!drained) throw late('the outboxes were not drained into the log');
    const position = await this.log.head();
    const ackFloor = await eventually(
      async () => (await this.log.status()).find((entry) => entry.name === consumer)?.ackFloor ?? 0,
      (floor) => floor >= position,
      deadline - Date.now(),
      POLL_MS,
    );
    if (ackFloor < position) throw late(`it has acknowledged the log up to ${ackFloor} of ${position}`);
    return { consumer, position, ackFloor };
  }
}
