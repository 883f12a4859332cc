import { Db, Filter, ObjectId } from 'mongodb';
import { DomainEvent } from '@app/contracts';
import { OUTBOX_COLLECTION, OutboxEntry } from '@app/data';

const ENTRIES_PER_POLL = 200;

type Outboxed = { outbox?: DomainEvent[] };

/** Equality filter finding one document: an announced key, or its `_id`. */
export type DocumentKey = Record<string, unknown>;

/** Documents carry ObjectIds (monolith) or ids of their own (services) in `_id`. */
export type DocumentId = ObjectId | string;

interface OutboxedDocument {
  _id: DocumentId;
  outbox?: DomainEvent[];
}

/**
 * One database whose writes carry events: its outbox entries and the
 * documents they point at, and the collections a sweep looks through.
 */
export class OutboxSource {
  constructor(
    readonly name: string,
    private readonly db: Db,
    readonly collections: readonly string[],
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

  /** The events still waiting in a document, in the order they were written. */
  async pendingEvents(collection: string, key: DocumentKey): Promise<DomainEvent[]> {
    const document = await this.db
      .collection<Outboxed>(collection)
      .findOne(key as Filter<Outboxed>, { projection: { outbox: 1 } });
    return document?.outbox ?? [];
  }

  /**
   * Removes relayed events from their document. They are pulled by their
   * whole value, as read: the store's $pull matches array elements by equality only.
   */
  async acknowledge(collection: string, key: DocumentKey, events: DomainEvent[]): Promise<void> {
    for (const event of events) {
      await this.db.collection<Outboxed>(collection).updateOne(key as Filter<Outboxed>, { $pull: { outbox: event } });
    }
  }

  /** Deletes outbox entries by their `_id`. */
  async dropEntries(entryIds: string[]): Promise<void> {
    for (const _id of entryIds) {
      await this.db.collection<OutboxEntry>(OUTBOX_COLLECTION).deleteOne({ _id });
    }
  }

  /** Documents of `collection` that still carry events, with their events: a full scan. */
  withEvents(collection: string, limit = 0): Promise<OutboxedDocument[]> {
    return this.db
      .collection<OutboxedDocument>(collection)
      .find({ 'outbox.0': { $exists: true } }, { projection: { _id: 1, outbox: 1 } })
      .limit(limit)
      .toArray();
  }
}
