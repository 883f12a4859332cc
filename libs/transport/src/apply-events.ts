import { ApplyEventsResult, EventName, RelayedEvent } from '@app/contracts';

/** Applies one event; resolves false when it had been applied before (or is older than the state). */
export type EventHandler = (event: RelayedEvent) => Promise<boolean>;

/**
 * Applies a run of consecutive events at once (those whose kinds it is
 * registered for), in their order; resolves, for each, whether it was applied.
 * Lets a backfill cost one store command per run rather than one per event.
 */
export interface BulkEventHandler {
  bulk(events: readonly RelayedEvent[]): Promise<boolean[]>;
}

export type EventHandlers = Partial<Record<EventName, EventHandler | BulkEventHandler>>;

/**
 * Applies a delivery in stream order. Handlers are idempotent: each checks,
 * in the same single-document write, that the event was not applied yet.
 * Events a service does not consume are skipped.
 */
export async function applyInOrder(
  events: readonly RelayedEvent[],
  handlers: EventHandlers,
): Promise<ApplyEventsResult> {
  const result: ApplyEventsResult = { applied: 0, skipped: 0 };
  const count = (applied: boolean) => (applied ? result.applied++ : result.skipped++);
  let next = 0;
  while (next < events.length) {
    const handler = handlers[events[next].type];
    if (handler === undefined || typeof handler === 'function') {
      count(handler !== undefined && (await handler(events[next])));
      next += 1;
      continue;
    }
    let end = next + 1;
    while (end < events.length && handlers[events[end].type] === handler) end += 1;
    (await handler.bulk(events.slice(next, end))).forEach(count);
    next = end;
  }
  return result;
}

/**
 * Runs tasks one at a time, in call order. A service sends its deliveries,
 * resets and owned writes through one, so that each read-then-write step
 * sees the store (and any in-memory state) as the previous task left it.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
