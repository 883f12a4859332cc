import { Injectable } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import type { DomainEvent } from '@app/contracts';
import { InjectDb } from './tokens';

export const OUTBOX_COLLECTION = 'outbox';

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
  /** Equality filter that finds the changed document. */
  key: Record<string, string>;
  at: number;
}

/**
 * Events of a bulk write (an import), recorded as one document before the
 * write: re-running an interrupted bulk write completes it, and the events
 * describe the data as it is meant to be.
 */
export interface OutboxBatch {
  _id: string;
  events: DomainEvent[];
  at: number;
}

export type OutboxEntry = OutboxPointer | OutboxBatch;

/** The relay recognises a batch interrupted by a crash only up to this size. */
export const MAX_BATCH_EVENTS = 1000;

export function isOutboxBatch(entry: OutboxEntry): entry is OutboxBatch {
  return 'events' in entry;
}

@Injectable()
export class Outbox {
  private readonly entries: Collection<OutboxEntry>;

  constructor(@InjectDb() db: Db) {
    this.entries = db.collection<OutboxEntry>(OUTBOX_COLLECTION);
  }

  /**
   * Call before the write that embeds `event`: if that write never happens,
   * the relay finds no such event in the document and drops the pointer.
   */
  async announce(collection: string, key: Record<string, string>, event: DomainEvent): Promise<void> {
    await this.entries.insertOne({ _id: event.id, collection, key, at: event.at });
  }

  /** Records the events of a bulk write in one document; call before the bulk write. */
  async appendBatch(events: DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (events.length > MAX_BATCH_EVENTS) throw new Error(`an outbox batch holds at most ${MAX_BATCH_EVENTS} events`);
    await this.entries.insertOne({ _id: `batch:${events[0].id}`, events, at: Date.now() });
  }
}
