import { Collection, Filter, UpdateFilter } from 'mongodb';
import type { DomainEvent } from '@app/contracts';
import type { OwnedDocument } from './tagging.documents';

/**
 * The part of an own write's update that records its event: queued in the
 * outbox for the relay, and remembered until it comes back through the
 * stream. `$inc` by 0 gives a document created by this write a version of 0,
 * so that every event from the stream counts as newer.
 */
export function recordOwnEvent(event: DomainEvent) {
  return {
    $push: { outbox: event, unconfirmed_events: event.id },
    $inc: { version: 0, applied: 0 },
  };
}

/**
 * An own event came back through the stream: true if document `_id` holds
 * that write already (the event is then forgotten); false when it does not,
 * e.g. after a reset for a replay, and the event must be applied.
 */
export async function confirmOwnEvent<T extends OwnedDocument>(
  collection: Collection<T>,
  _id: string,
  eventId: string,
): Promise<boolean> {
  const byId = { _id } as Filter<T>;
  const current = await collection.findOne(byId, { projection: { unconfirmed_events: 1 } });
  if (!current?.unconfirmed_events?.includes(eventId)) return false;
  await collection.updateOne(byId, { $pull: { unconfirmed_events: eventId } } as unknown as UpdateFilter<T>);
  return true;
}
