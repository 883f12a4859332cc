import { Db } from 'mongodb';
import { DomainEvent } from '@app/contracts';
import { OUTBOX_COLLECTION, OutboxPointer } from '@app/data';

const POINTERS_PER_POLL = 500;

/** One database whose writes carry events: its outbox pointers and the documents they point at. */
export class OutboxSource {
  constructor(
    readonly name: string,
    private readonly db: Db,
  ) {}

  pointers(): Promise<OutboxPointer[]> {
    return this.db
      .collection<OutboxPointer>(OUTBOX_COLLECTION)
      .find({})
      .sort({ at: 1, _id: 1 })
      .limit(POINTERS_PER_POLL)
      .toArray();
  }

  /** The events still waiting in the pointed-at document, in the order they were written. */
  async pendingEvents(pointer: OutboxPointer): Promise<DomainEvent[]> {
    const document = await this.db
      .collection<{ outbox?: DomainEvent[] }>(pointer.collection)
      .findOne(pointer.key, { projection: { outbox: 1 } });
    return document?.outbox ?? [];
  }

  /** Removes relayed events from their document, then their pointers. */
  async acknowledge(pointer: OutboxPointer, eventIds: string[]): Promise<void> {
    const collection = this.db.collection<{ outbox?: { id: string }[] }>(pointer.collection);
    for (const id of eventIds) {
      await collection.updateOne(pointer.key, { $pull: { outbox: { id } } });
    }
    await this.dropPointers(eventIds);
  }

  async dropPointers(eventIds: string[]): Promise<void> {
    if (eventIds.length > 0) {
      await this.db.collection<OutboxPointer>(OUTBOX_COLLECTION).deleteMany({ _id: { $in: eventIds } });
    }
  }
}
