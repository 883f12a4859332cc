import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MongoClient } from 'mongodb';
import { Counter, Registry } from 'prom-client';
import { DomainEvent } from '@app/contracts';
import { BatchDocument, MONGO_CLIENT, isOutboxBatch } from '@app/data';
import { AppLogger, LOGGER } from '@app/observability';
import { EventLogRepository, segmentOf } from '../log/event-log.repository';
import { SyncConfig } from '../sync.config';
import { DocumentKey, OutboxSource } from './outbox-source.repository';
import { RecentIds, eventsToLog } from './relay-order';

/** A document's events as read, to be pulled from it once logged. */
interface PendingDocument {
  collection: string;
  key: DocumentKey;
  events: DomainEvent[];
}

/**
 * Events one pass appends, and documents it reads, at most (entries beyond
 * wait for the next pass): reading documents whose writes have not landed
 * yet must not hold up the events that have.
 */
const MAX_PASS_EVENTS = 1000;

/**
 * How many recently logged event ids to remember (and reload after a crash),
 * to recognise a pass whose events were logged but not yet pulled.
 */
const RECENT_IDS = 3 * MAX_PASS_EVENTS;

/**
 * Moves events from the outboxes of the monolith (and of services that own
 * writes) into the ordered log. One relay process drains at a time.
 */
@Injectable()
export class OutboxDrainer implements OnApplicationBootstrap, OnApplicationShutdown {
  private head = 0;
  private readonly recentIds = new RecentIds(RECENT_IDS);
  /** Source name -> entries its last pass left in place. */
  private readonly waiting = new Map<string, number>();
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
    this.logged = new Counter({
      name: 'sync_events_logged_total',
      help: 'Events appended to the log',
      registers: [registry],
    });
  }

  /** The last position in the log. */
  get position(): number {
    return this.head;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.sources = [
      new OutboxSource('monolith', this.client.db(this.config.MONOLITH_DB)),
      new OutboxSource('tagging', this.client.db(this.config.TAGGING_DB)),
      new OutboxSource('engagement', this.client.db(this.config.ENGAGEMENT_DB)),
    ];
    await this.recover();
    this.loop = this.run();
  }

  /**
   * Outbox entries the last pass left waiting, over every source (each source
   * counts at most one poll's worth). Kept from the pass rather than counted
   * in the store, which would decode every entry to count them.
   */
  get pending(): number {
    return [...this.waiting.values()].reduce((sum, count) => sum + count, 0);
  }

  /** Re-reads where the log ends and which events it got last, e.g. after a crash mid-drain. */
  private async recover(): Promise<void> {
    this.head = await this.log.head();
    this.recentIds.clear();
    for (
      let index = segmentOf(Math.max(1, this.head - RECENT_IDS + 1));
      index <= segmentOf(Math.max(this.head, 1));
      index++
    ) {
      for (const event of await this.log.segment(index)) this.recentIds.add(event.id);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let moved = 0;
      try {
        moved = await this.drainOnce();
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
      const documents: PendingDocument[] = [];
      const seen = new Set<string>();
      const drainedEntries: string[] = [];
      const narrowedBatches: { entryId: string; documents: BatchDocument[] }[] = [];
      let events = 0;
      const entries = await source.entries();
      const taken = (event: string) => seen.has(event) || this.recentIds.has(event);
      for (const entry of entries) {
        if (events >= MAX_PASS_EVENTS || documents.length >= MAX_PASS_EVENTS) break;
        const orphaned = Date.now() - entry.at > this.config.SYNC_ORPHAN_MS;
        if (isOutboxBatch(entry)) {
          // A bulk write's documents are read one by one: look-ups by `_id` are the store's only indexed reads.
          const waiting: BatchDocument[] = [];
          for (const [index, announced] of entry.documents.entries()) {
            const document = await this.read(source, entry.collection, { _id: announced._id }, seen);
            documents.push(document);
            events += document.events.length;
            // The announced event not there yet: its write is still under way (or failed).
            if (!taken(announced.event)) waiting.push(announced);
            // A young entry whose first document shows nothing yet: its write has not landed, so the
            // rest waits for a later pass (if that one write failed, until the entry is old).
            if (index === 0 && waiting.length === 1 && !orphaned) {
              waiting.push(...entry.documents.slice(1));
              break;
            }
          }
          if (waiting.length === 0 || orphaned) drainedEntries.push(entry._id);
          else if (waiting.length < entry.documents.length)
            narrowedBatches.push({ entryId: entry._id, documents: waiting });
        } else if (!seen.has(entry._id)) {
          const document = await this.read(source, entry.collection, entry.key, seen);
          documents.push(document);
          events += document.events.length;
          // A young pointer whose event is not there yet announces a write still under way.
          const drained = seen.has(entry._id) || this.recentIds.has(entry._id);
          if (drained || orphaned) drainedEntries.push(entry._id);
        } else {
          drainedEntries.push(entry._id);
        }
      }
      appended += await this.settle(source, documents);
      await source.dropEntries(drainedEntries);
      this.waiting.set(source.name, entries.length - drainedEntries.length);
      for (const { entryId, documents: left } of narrowedBatches) await source.narrowBatch(entryId, left);
    }
    return appended;
  }

  private async read(
    source: OutboxSource,
    collection: string,
    key: DocumentKey,
    seen: Set<string>,
  ): Promise<PendingDocument> {
    const events = await source.pendingEvents(collection, key);
    events.forEach((event) => seen.add(event.id));
    return { collection, key, events };
  }

  /** Logs the documents' events in one append, then pulls them from their documents. */
  private async settle(source: OutboxSource, documents: PendingDocument[]): Promise<number> {
    const appended = await this.append(documents.flatMap((document) => document.events));
    for (const { collection, key, events } of documents) {
      if (events.length > 0) await source.acknowledge(collection, key, events);
    }
    return appended;
  }

  /** Appends the events not logged yet; returns how many. */
  private async append(events: DomainEvent[]): Promise<number> {
    const relayed = eventsToLog(events, this.recentIds, this.head);
    if (relayed.length === 0) return 0;
    try {
      await this.log.append(relayed);
    } catch (error) {
      await this.recover();
      throw error;
    }
    // Published only once written: deliveries read the log up to this position.
    this.head += relayed.length;
    relayed.forEach((event) => this.recentIds.add(event.id));
    this.logged.inc(relayed.length);
    return relayed.length;
  }
}
