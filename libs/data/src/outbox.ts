import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import type { DomainEvent } from '@app/contracts';
import { InjectDb } from './tokens';

export const OUTBOX_COLLECTION = 'outbox';
/** Bulk writes are announced apart, so that a large import never holds up single writes. */
export const OUTBOX_BATCHES_COLLECTION = 'outbox_batches';
/** One marker document per collection, carrying the events of its bulk resets. */
export const RESETS_COLLECTION = 'collection_resets';

/** What a document is keyed by: the relay reads it back by `_id`, the store's only indexed look-up. */
export type DocumentId = unknown;

/**
 * Points the relay at a document that carries (or is about to carry) a new
 * event in its `outbox` array. The event itself is written with the change,
 * in the same single-document write; this small collection only spares the
 * relay from scanning whole collections, since the store can only look
 * documents up by key.
 */
export interface OutboxPointer {
  /** The event's id. */
  _id: string;
  collection: string;
  /** Equality filter that finds the changed document: always its `_id`. */
  key: { _id: DocumentId };
  at: number;
}

/** A document of a bulk write and the id of the event the write gives it. */
export interface BatchDocument {
  _id: DocumentId;
  event: string;
}

/**
 * Points the relay at the documents of a bulk write (an import) that get
 * new events: one entry for a whole batch, by `_id`, written before it.
 */
export interface OutboxBatch {
  _id: string;
  collection: string;
  documents: BatchDocument[];
  /**
   * The events themselves as JSON text, when the entry carries them (see
   * `announceBulk`): the relay logs them as they are, with no read or write
   * of the documents. Text, because the embedded store encodes and decodes a
   * nested array value by value: one string of 500 events costs it a tenth
   * of the same events as documents. Read them with `eventsOfBatch`.
   */
  events?: string;
  /** Set on an entry that carries its events once the bulk write is over; it then names only the documents written. */
  written?: boolean;
  at: number;
}

/** The events a batch entry carries, in order; none when it only points at documents. */
export function eventsOfBatch(entry: OutboxBatch): DomainEvent[] {
  return entry.events === undefined ? [] : (JSON.parse(entry.events) as DomainEvent[]);
}

/** A document of a bulk write and the event the write gives it. */
export interface BulkDocument {
  _id: DocumentId;
  event: DomainEvent;
}

/**
 * The field in which a bulk write leaves the id of its event in each
 * document: when the writer stops before saying which writes landed, the
 * relay reads it to tell.
 */
export const ANNOUNCED_EVENT_FIELD = 'announced_event';

/** Documents one batch entry points at, at most: the relay takes an entry in one pass. */
export const MAX_BATCH_DOCUMENTS = 500;

/** Told after every write that recorded an event, so the relay need not wait for its next poll. */
export interface OutboxWaker {
  wake(): void;
  /** Called when the process shuts down. */
  close?(): Promise<void>;
}

export const OUTBOX_WAKER = Symbol('OUTBOX_WAKER');

/** The waker of a process nobody listens to: the relay finds the entries on its own poll. */
export const NO_OUTBOX_WAKER: OutboxWaker = { wake: () => undefined };

@Injectable()
export class Outbox {
  private readonly entries: Collection<OutboxPointer>;
  private readonly batches: Collection<OutboxBatch>;
  private readonly resets: Collection<{ _id: string; outbox: DomainEvent[] }>;

  constructor(
    @InjectDb() db: Db,
    @Optional() @Inject(OUTBOX_WAKER) private readonly waker: OutboxWaker = NO_OUTBOX_WAKER,
  ) {
    this.entries = db.collection<OutboxPointer>(OUTBOX_COLLECTION);
    this.batches = db.collection<OutboxBatch>(OUTBOX_BATCHES_COLLECTION);
    this.resets = db.collection(RESETS_COLLECTION);
  }

  /**
   * Runs `write`, which embeds `event` in document `_id` of `collection`,
   * announced to the relay just before. `write` answers whether it changed
   * the document: when it did not (a duplicate, a conditional update that
   * matched nothing) the announcement is withdrawn; when it throws, the
   * announcement stays and the relay drops it once old, finding no such event.
   */
  async record(
    collection: string,
    _id: DocumentId,
    event: DomainEvent,
    write: () => Promise<boolean>,
  ): Promise<boolean> {
    await this.entries.insertOne({ _id: event.id, collection, key: { _id }, at: event.at });
    if (!(await write())) {
      await this.entries.deleteOne({ _id: event.id });
      return false;
    }
    this.waker.wake();
    return true;
  }

  /**
   * Records that every document of `collection` was just removed (a bulk
   * reset): the event rides in a marker document of RESETS_COLLECTION,
   * announced like a bulk write so that it reaches the log before the
   * writes announced after it.
   */
  async announceReset(collection: string, event: DomainEvent): Promise<void> {
    await this.batches.insertOne({
      _id: `batch:${randomUUID()}`,
      collection: RESETS_COLLECTION,
      documents: [{ _id: collection, event: event.id }],
      at: Date.now(),
    });
    await this.resets.updateOne({ _id: collection }, { $push: { outbox: event } }, { upsert: true });
  }

  /**
   * Call just before a bulk write that gives these documents their events,
   * instead of embedding the events in the documents: the entry carries them,
   * and `bulkWritten` then says which writes landed, so that the relay logs
   * a whole batch from one entry. Each document written must hold its
   * event's id in ANNOUNCED_EVENT_FIELD, for a writer that stops in between.
   * At most MAX_BATCH_DOCUMENTS documents; returns the entry's id.
   */
  async announceBulk(collection: string, documents: readonly BulkDocument[]): Promise<string> {
    if (documents.length > MAX_BATCH_DOCUMENTS) {
      throw new RangeError(`a bulk announcement names at most ${MAX_BATCH_DOCUMENTS} documents`);
    }
    const _id = `batch:${randomUUID()}`;
    await this.batches.insertOne({
      _id,
      collection,
      documents: documents.map((document) => ({ _id: document._id, event: document.event.id })),
      events: JSON.stringify(documents.map((document) => document.event)),
      written: false,
      at: Date.now(),
    });
    return _id;
  }

  /** Ends a bulk write announced by `announceBulk`: only the `written` documents' events are to be logged. */
  async bulkWritten(entryId: string, written: readonly BulkDocument[]): Promise<void> {
    await this.batches.updateOne(
      { _id: entryId },
      {
        $set: {
          written: true,
          documents: written.map((document) => ({ _id: document._id, event: document.event.id })),
          events: JSON.stringify(written.map((document) => document.event)),
        },
      },
    );
    this.waker.wake();
  }
}
