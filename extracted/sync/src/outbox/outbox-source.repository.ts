import { Db } from 'mongodb';
import { DomainEvent } from '@app/contracts';
import { OUTBOX_COLLECTION, OutboxEntry, OutboxPointer } from '@app/data';

const ENTRIES_PER_POLL = 200;

/** One database whose writes carry events: its outbox pointers and the documents they point at. */
export class OutboxSource {
  constructor(
    readonly name: string,
    private readonly db: Db,
  ) {}

  entries(): Promise<OutboxEntry[]> {
    return this.db
      .collection<OutboxEntry>(OUTBOX_COLLECTION)
      .find({})
      .sort({ at: 1, _id: 1 })
      .limit(ENTRIES_PER_POLL)
      .toArray();
  }

  /** Outbox entries not drained yet. */
  pendingCount(): Promise<number> {
    return this.db.collection<OutboxEntry>(OUTBOX_COLLECTION).countDocuments({});
  }

  /** The events still waiting in the pointed-at document, in the order they were written. */
  async pendingEvents(pointer: OutboxPointer): Promise<DomainEvent[]> {
    const document = await this.db
      .collection<{ outbox?: DomainEvent[] }>(pointer.collection)
      .findOne(pointer.key, { projection: { outbox: 1 } });
    return document?.outbox ?? [];
  }

  /**
   * Removes relayed events from their document, then their pointers. The
   * events are pulled by their whole value, as read: the store's $pull
   * matches array elements by equality only.
   */
  async acknowledge(pointer: OutboxPointer, events: DomainEvent[]): Promise<void> {
    const collection = this.db.collection<{ outbox?: DomainEvent[] }>(pointer.collection);
    for (const event of events) {
      await collection.updateOne(pointer.key, { $pull: { outbox: event } });
    }
    await this.dropPointers(events.map((event) => event.id));
  }

  /** Deletes outbox entries (pointers by event id, or batches by their id). */
  async dropPointers(entryIds: string[]): Promise<void> {
    for (const _id of entryIds) {
      await this.db.collection<OutboxEntry>(OUTBOX_COLLECTION).deleteOne({ _id });
    }
  }
}
