import { ApplyEventsResult, EventName, RelayedEvent } from '@app/contracts';

/** Applies one event; resolves false when it had been applied before (or is older than the state). */
export type EventHandler = (event: RelayedEvent) => Promise<boolean>;

/**
 * Applies a delivery in stream order. Handlers are idempotent: each checks,
 * in the same single-document write, that the event was not applied yet.
 * Events a service does not consume are skipped.
 */
export async function applyInOrder(
  events: readonly RelayedEvent[],
  handlers: Partial<Record<EventName, EventHandler>>,
): Promise<ApplyEventsResult> {
  const result: ApplyEventsResult = { applied: 0, skipped: 0 };
  for (const event of events) {
    const handler = handlers[event.type];
    if (handler && (await handler(event))) result.applied += 1;
    else result.skipped += 1;
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
