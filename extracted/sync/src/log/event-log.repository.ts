import { Inject, Injectable } from '@nestjs/common';
import { Collection, MongoClient } from 'mongodb';
import { RelayedEvent } from '@app/contracts';
import { MONGO_CLIENT } from '@app/data';
import { SyncConfig } from '../sync.config';

/** Events per log segment: one document, fetched by key, holds this many consecutive positions. */
export const SEGMENT_SIZE = 100;

export function segmentOf(position: number): number {
  return Math.floor((position - 1) / SEGMENT_SIZE);
}

function segmentKey(index: number): string {
  return `segment:${index}`;
}

interface Segment {
  /** segmentKey(index): the store looks documents up by `_id` only when it is a string or an ObjectId. */
  _id: string;
  events: RelayedEvent[];
}

interface Checkpoint {
  _id: string;
  position: number;
  /** Bumped by a replay, so a delivery that was in flight cannot move the checkpoint back up. */
  epoch: number;
}

const HEAD = 'head';

/**
 * Segments kept in memory. Every consumer reads the segments just written,
 * and each read from the store decodes the whole segment, so the relay (the
 * log's only writer) serves them from memory, about 30 MB at most.
 */
const CACHED_SEGMENTS = 100;

/**
 * The relay's durable, ordered event log and the consumers' checkpoints, in
 * the relay's own database. Events are grouped in segments because the
 * store serves look-ups by key quickly but scans every document for ranges.
 */
@Injectable()
export class EventLogRepository {
  private readonly segments: Collection<Segment>;
  private readonly state: Collection<Checkpoint>;
  /** Recently used segments, least recent first. */
  private readonly cache = new Map<number, RelayedEvent[]>();
  /** Appends finished, and whether one is under way: a read that overlapped one may predate it. */
  private appendsDone = 0;
  private appending = false;

  constructor(@Inject(MONGO_CLIENT) client: MongoClient, config: SyncConfig) {
    const db = client.db(config.MONGO_DB);
    this.segments = db.collection<Segment>('log');
    this.state = db.collection<Checkpoint>('state');
  }

  async segment(index: number): Promise<RelayedEvent[]> {
    const cached = this.cache.get(index);
    if (cached) {
      this.remember(index, cached);
      return cached;
    }
    const appendsBefore = this.appendsDone;
    const appendingBefore = this.appending;
    const events = (await this.segments.findOne({ _id: segmentKey(index) }))?.events ?? [];
    // A read that overlapped an append may predate part of it: served, but not kept.
    if (!appendingBefore && !this.appending && this.appendsDone === appendsBefore) this.remember(index, events);
    return events;
  }

  private remember(index: number, events: RelayedEvent[]): void {
    this.cache.delete(index);
    this.cache.set(index, events);
    if (this.cache.size > CACHED_SEGMENTS) this.cache.delete(this.cache.keys().next().value as number);
  }

  /** The last position written, repaired from the log itself if the head record lags behind it. */
  async head(): Promise<number> {
    const recorded = (await this.state.findOne({ _id: HEAD }))?.position ?? 0;
    let head = recorded;
    for (let index = segmentOf(Math.max(recorded, 1)); ; index++) {
      const events = await this.segment(index);
      const last = events.at(-1)?.position ?? 0;
      if (last <= head) break;
      head = last;
    }
    if (head !== recorded) await this.saveHead(head);
    return head;
  }

  /** Appends events whose positions were assigned in order; the append is the commit point. */
  async append(events: RelayedEvent[]): Promise<void> {
    const bySegment = new Map<number, RelayedEvent[]>();
    for (const event of events) {
      const index = segmentOf(event.position);
      bySegment.set(index, [...(bySegment.get(index) ?? []), event]);
    }
    this.appending = true;
    try {
      for (const [index, batch] of bySegment) {
        await this.segments.updateOne(
          { _id: segmentKey(index) },
          { $push: { events: { $each: batch } } },
          { upsert: true },
        );
        const cached = this.cache.get(index);
        if (cached) this.remember(index, [...cached, ...batch]);
        // A segment this append started holds just the batch.
        else if ((batch[0].position - 1) % SEGMENT_SIZE === 0) this.remember(index, batch);
      }
    } catch (error) {
      // Which writes landed is unknown: the store is the truth again.
      this.cache.clear();
      throw error;
    } finally {
      this.appending = false;
      this.appendsDone++;
    }
    await this.saveHead(events[events.length - 1].position);
  }

  private async saveHead(position: number): Promise<void> {
    await this.state.updateOne({ _id: HEAD }, { $set: { position, epoch: 0 } }, { upsert: true });
  }

  async checkpoint(consumer: string): Promise<{ position: number; epoch: number }> {
    const found = await this.state.findOne({ _id: `consumer:${consumer}` });
    return { position: found?.position ?? 0, epoch: found?.epoch ?? 0 };
  }

  /** Moves a consumer's checkpoint forward, unless a replay happened meanwhile. */
  async advance(consumer: string, epoch: number, position: number): Promise<boolean> {
    try {
      const result = await this.state.updateOne(
        { _id: `consumer:${consumer}`, epoch },
        { $set: { position } },
        { upsert: true },
      );
      return result.modifiedCount + result.upsertedCount > 0;
    } catch {
      return false;
    }
  }

  /** Replay: the consumer will receive every event after `position` again. */
  async rewind(consumer: string, position: number): Promise<void> {
    const current = await this.checkpoint(consumer);
    await this.state.updateOne(
      { _id: `consumer:${consumer}` },
      { $set: { position, epoch: current.epoch + 1 } },
      { upsert: true },
    );
  }

  async checkpoints(): Promise<Record<string, number>> {
    const all = await this.state.find({}).toArray();
    return Object.fromEntries(all.map((entry) => [entry._id.replace(/^consumer:/, ''), entry.position]));
  }
}
