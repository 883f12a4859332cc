import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MongoClient } from 'mongodb';
import { Counter, Registry } from 'prom-client';
import { DomainEvent, RelayedEvent } from '@app/contracts';
import { MONGO_CLIENT, OutboxBatch, OutboxPointer, isOutboxBatch } from '@app/data';
import { AppLogger, LOGGER } from '@app/observability';
import { EventLogRepository, SEGMENT_SIZE, segmentOf } from '../log/event-log.repository';
import { SyncConfig } from '../sync.config';
import { OutboxSource } from './outbox-source.repository';

/**
 * How many recently logged event ids to remember, to recognise a drain
 * interrupted by a crash: more than the last three segments that recovery reads.
 */
const RECENT_IDS = 4 * SEGMENT_SIZE;

/**
 * Moves events from the outboxes of the monolith (and of services that own
 * writes) into the ordered log. One relay process drains at a time.
 */
@Injectable()
export class OutboxDrainer implements OnApplicationBootstrap, OnApplicationShutdown {
  private head = 0;
  private readonly recentIds = new Set<string>();
  private sources: OutboxSource[] = [];
  private stopped = false;
  private loop?: Promise<void>;
  private readonly logged: Counter;

  constructor(
    private readonly log: EventLogRepository,
    private readonly config: SyncConfig,
    @Inject(MONGO_CLIENT) private readonly client: MongoClient,
    @Inject(LOGGER) private readonly logger: AppLogger,
    registry: Registry,
  ) {
    this.logged = new Counter({ name: 'sync_events_logged_total', help: 'Events appended to the log', registers: [registry] });
  }

  /** The last position in the log. */
  get position(): number {
    return this.head;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.sources = [
      new OutboxSource('monolith', this.client.db(this.config.MONOLITH_DB), ['posts', 'engagements', 'preferences']),
      new OutboxSource('tagging', this.client.db(this.config.TAGGING_DB), ['posts', 'preferences']),
      new OutboxSource('engagement', this.client.db(this.config.ENGAGEMENT_DB), ['engagements']),
    ];
    await this.recover();
    this.loop = this.run();
  }

  /** Outbox entries in every source that wait to be drained. */
  async pending(): Promise<number> {
    const counts = await Promise.all(this.sources.map((source) => source.pendingCount()));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  /** Re-reads where the log ends and which events it got last, e.g. after a crash mid-drain. */
  private async recover(): Promise<void> {
    this.head = await this.log.head();
    this.recentIds.clear();
    for (let index = Math.max(0, segmentOf(this.head) - 2); index <= segmentOf(Math.max(this.head, 1)); index++) {
      for (const event of await this.log.segment(index)) this.remember(event.id);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    let nextSweep = 0;
    while (!this.stopped) {
      let moved = 0;
      try {
        if (Date.now() >= nextSweep) {
          moved += await this.sweep();
          nextSweep = Date.now() + this.config.SYNC_SWEEP_MS;
        }
        moved += await this.drainOnce();
      } catch (error) {
        this.logger.warn({ err: error }, 'draining outboxes failed; retrying');
      }
      if (moved === 0 && !this.stopped) await new Promise((resolve) => setTimeout(resolve, this.config.SYNC_POLL_MS));
    }
  }

  /** One pass over every source; returns how many events were appended. */
  async drainOnce(): Promise<number> {
    let appended = 0;
    for (const source of this.sources) {
      const seen = new Set<string>();
      for (const entry of await source.entries()) {
        if (isOutboxBatch(entry)) appended += await this.drainBatch(source, entry);
        else if (!seen.has(entry._id)) appended += await this.drainPointer(source, entry, seen);
      }
    }
    return appended;
  }

  /** The documents of a bulk write, by `_id`; the entry goes once they are drained. */
  private async drainBatch(source: OutboxSource, batch: OutboxBatch): Promise<number> {
    let appended = 0;
    for (const _id of batch.ids) appended += await this.drainDocument(source, batch.collection, { _id });
    await source.dropEntries([batch._id]);
    return appended;
  }

  /** Appends the events not logged yet; returns how many. */
  private async append(events: DomainEvent[]): Promise<number> {
    const fresh = events.filter((event) => !this.recentIds.has(event.id));
    if (fresh.length === 0) return 0;
    const relayed: RelayedEvent[] = fresh.map((event, index) => ({ ...event, position: this.head + index + 1 }));
    try {
      await this.log.append(relayed);
    } catch (error) {
      await this.recover();
      throw error;
    }
    // Published only once written: deliveries read the log up to this position.
    this.head += relayed.length;
    relayed.forEach((event) => this.remember(event.id));
    this.logged.inc(relayed.length);
    return relayed.length;
  }

  /** Logs a document's pending events, then pulls them from it; `seen` collects their ids. */
  private async drainDocument(
    source: OutboxSource,
    collection: string,
    key: Record<string, unknown>,
    seen?: Set<string>,
  ): Promise<number> {
    const pending = await source.pendingEvents(collection, key);
    const appended = await this.append(pending);
    pending.forEach((event) => seen?.add(event.id));
    await source.acknowledge(collection, key, pending);
    return appended;
  }

  private async drainPointer(source: OutboxSource, pointer: OutboxPointer, seen: Set<string>): Promise<number> {
    const appended = await this.drainDocument(source, pointer.collection, pointer.key, seen);
    const drained = seen.has(pointer._id) || this.recentIds.has(pointer._id);
    // A young pointer whose event is not there yet announces a write still under way.
    if (drained || Date.now() - pointer.at > this.config.SYNC_ORPHAN_MS) await source.dropEntries([pointer._id]);
    return appended;
  }

  /**
   * Looks through every source collection for documents still carrying
   * events: those of writes whose announcement was lost to a crash.
   */
  async sweep(): Promise<number> {
    let appended = 0;
    for (const source of this.sources) {
      for (const collection of source.collections) {
        for (const _id of await source.withEvents(collection)) {
          appended += await this.drainDocument(source, collection, { _id });
        }
      }
    }
    return appended;
  }

  private remember(id: string): void {
    this.recentIds.add(id);
    if (this.recentIds.size > RECENT_IDS) {
      const oldest = this.recentIds.values().next().value as string;
      this.recentIds.delete(oldest);
    }
  }
}
