import { Db, Filter } from 'mongodb';
import { DomainEvent } from '@app/contracts';
import {
  ANNOUNCED_EVENT_FIELD,
  BatchDocument,
  DocumentId,
  OUTBOX_BATCHES_COLLECTION,
  OUTBOX_COLLECTION,
  OutboxBatch,
  OutboxPointer,
  findEachById,
} from '@app/data';

/** Pointers one poll reads at most. */
export const ENTRIES_PER_POLL = 200;
/** Bulk entries one poll reads at most: each may carry hundreds of whole events. */
export const BATCHES_PER_POLL = 4;
/** Updates sent in one command: the embedded store stalls on commands of about 100 writes. */
const PULLS_PER_COMMAND = 50;

type Outboxed = { outbox?: DomainEvent[] };
type Announced = { _id: string; [ANNOUNCED_EVENT_FIELD]?: string };

/** Equality filter finding one document: its `_id`. */
export type DocumentKey = Record<string, unknown>;

/**
 * One database whose writes carry events: its outbox entries and the
 * documents they point at.
 */
export class OutboxSource {
  constructor(
    readonly name: string,
    private readonly db: Db,
  ) {}

  // Both reads are unsorted (the store's order, which is the order of insertion): sorting would
  // make the store decode every entry, each batch entry with its hundreds of ids, on every poll.

  pointers(): Promise<OutboxPointer[]> {
    return this.db.collection<OutboxPointer>(OUTBOX_COLLECTION).find({}).limit(ENTRIES_PER_POLL).toArray();
  }

  batches(): Promise<OutboxBatch[]> {
    return this.db.collection<OutboxBatch>(OUTBOX_BATCHES_COLLECTION).find({}).limit(BATCHES_PER_POLL).toArray();
  }

  /** The events still waiting in a document, in the order they were written. */
  async pendingEvents(collection: string, key: DocumentKey): Promise<DomainEvent[]> {
    const document = await this.db
      .collection<Outboxed>(collection)
      .findOne(key as Filter<Outboxed>, { projection: { outbox: 1 } });
    return document?.outbox ?? [];
  }

  /** The event each of these documents was last given by a bulk write, by document `_id`; missing ones are left out. */
  async announcedEvents(collection: string, ids: readonly DocumentId[]): Promise<Set<string>> {
    const documents = await findEachById<Announced, Announced>(
      this.db.collection<Announced>(collection),
      ids as string[],
      { [ANNOUNCED_EVENT_FIELD]: 1 },
    );
    return new Set(documents.map((document) => document[ANNOUNCED_EVENT_FIELD]).filter((id) => id !== undefined));
  }

  /**
   * Removes relayed events from their documents, a few commands for many
   * documents. They are pulled by their whole value, as read: the store's
   * $pull matches array elements by equality only.
   */
  async acknowledge(
    documents: readonly { collection: string; key: DocumentKey; events: DomainEvent[] }[],
  ): Promise<void> {
    const pulls = documents.flatMap(({ collection, key, events }) =>
      events.map((event) => ({ collection, filter: key as Filter<Outboxed>, event })),
    );
    for (let start = 0; start < pulls.length; start += PULLS_PER_COMMAND) {
      const chunk = pulls.slice(start, start + PULLS_PER_COMMAND);
      for (const collection of new Set(chunk.map((pull) => pull.collection))) {
        const operations = chunk
          .filter((pull) => pull.collection === collection)
          .map(({ filter, event }) => ({ updateOne: { filter, update: { $pull: { outbox: event } } } }));
        await this.db.collection<Outboxed>(collection).bulkWrite(operations, { ordered: true });
      }
    }
  }

  async dropPointers(entryIds: string[]): Promise<void> {
    for (const _id of entryIds) await this.db.collection<OutboxPointer>(OUTBOX_COLLECTION).deleteOne({ _id });
  }

  async dropBatches(entryIds: string[]): Promise<void> {
    for (const _id of entryIds) await this.db.collection<OutboxBatch>(OUTBOX_BATCHES_COLLECTION).deleteOne({ _id });
  }

  /** Keeps only `documents` in a batch entry: those whose announced events have not appeared yet. */
  async narrowBatch(entryId: string, documents: BatchDocument[]): Promise<void> {
    await this.db
      .collection<OutboxBatch>(OUTBOX_BATCHES_COLLECTION)
      .updateOne({ _id: entryId }, { $set: { documents } });
  }
}
