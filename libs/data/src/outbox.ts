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

@Injectable()
export class Outbox {
  private readonly pointers: Collection<OutboxPointer>;

  constructor(@InjectDb() db: Db) {
    this.pointers = db.collection<OutboxPointer>(OUTBOX_COLLECTION);
  }

  /**
   * Call before the write that embeds `event`: if that write never happens,
   * the relay finds no such event in the document and drops the pointer.
   */
  async announce(collection: string, key: Record<string, string>, event: DomainEvent): Promise<void> {
    await this.pointers.insertOne({ _id: event.id, collection, key, at: event.at });
  }
}
