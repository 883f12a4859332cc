import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { MongoClient } from 'mongodb';
import { Counter, Registry } from 'prom-client';
import { DomainEvent } from '@app/contracts';
import { BatchDocument, MONGO_CLIENT, OutboxBatch, OutboxPointer, RESETS_COLLECTION, eventsOfBatch } from '@app/data';
import { EventLog, OutboxSignal } from '@app/eventlog';
import { AppLogger, LOGGER } from '@app/observability';
import { InjectEventLog } from '../log/event-log.providers';
import { SyncConfig } from '../sync.config';
import { BATCHES_PER_POLL, DocumentKey, ENTRIES_PER_POLL, OutboxSource } from './outbox-source.repository';
import { RecentIds, eventsToLog } from './relay-order';

/** What draining one kind of entry did: events logged, entries left in place, and whether none was out of reach. */
interface PassOutcome {
  logged: number;
  left: number;
  complete: boolean;
}

/** A document's events as read, to be pulled from it once logged. */
interface PendingDocument {
  collection: string;
  key: DocumentKey;
  events: DomainEvent[];
}

/**
 * Events of bulk writes taken in one pass, at most: a large import is
 * taken a slice at a time, and live writes' pointers go first in every pass.
 */
const MAX_BATCH_DOCUMENTS_PER_PASS = 2000;

/**
 * How many recently logged event ids to remember, to recognise a pointer
 * whose event was logged and pulled through another pointer or a batch.
 * Forgotten ids (after a restart) only make such a pointer wait until old.
 */
const RECENT_IDS = 20_000;

const byAnnouncement = (a: { at: number }, b: { at: number }) => a.at - b.at;

/**
 * Moves events from the outboxes of the monolith (and of services that own
 * writes) into the event log, each document's events in their order. The
 * log refuses an event id it already has, so a pass cut short by a crash
 * is simply done again. One relay process drains at a time.
 */
@Injectable()
export class OutboxDrainer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly recentIds = new RecentIds(RECENT_IDS);
  /** Source name -> entries its last pass left in place. */
  private readonly waiting = new Map<string, number>();
  private sources: OutboxSource[] = [];
  private stopped = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private signalled = false;
  /** Passes begun so far; a waiter needs a pass that began after it asked. */
  private passesBegun = 0;
  private readonly drainWaiters: { after: number; resolve: () => void }[] = [];
  private readonly logged: Counter;

  constructor(
    @InjectEventLog() private readonly log: EventLog,
    private readonly signal: OutboxSignal,
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

  onApplicationBootstrap(): void {
    this.sources = [
      new OutboxSource('monolith', this.client.db(this.config.MONOLITH_DB)),
      new OutboxSource('tagging', this.client.db(this.config.TAGGING_DB)),
      new OutboxSource('engagement', this.client.db(this.config.ENGAGEMENT_DB)),
    ];
    this.signal.onWake(() => this.wake());
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

  /**
   * Resolves once a whole pass that began after the call has moved every
   * event announced before it into the log. A failed pass does not count.
   */
  drained(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.drainWaiters.push({ after: this.passesBegun, resolve });
      this.wake();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  private wake(): void {
    this.signalled = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.signalled = false;
      const pass = ++this.passesBegun;
      const { logged, complete } = await this.drainOnce();
      if (complete) this.settleWaiters(pass);
      if (logged === 0 && !this.signalled && !this.stopped) await this.sleep();
    }
  }

  private settleWaiters(pass: number): void {
    for (let i = this.drainWaiters.length - 1; i >= 0; i--) {
      if (this.drainWaiters[i].after < pass) this.drainWaiters.splice(i, 1)[0].resolve();
    }
  }

  /** Until the poll interval is over or a write signals new work. */
  private sleep(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.config.SYNC_POLL_MS);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => (this.wakeUp = undefined));
  }

  /**
   * One pass over every source: how many events were logged, and whether the
   * pass left nothing behind (no entry waiting, none beyond what one poll reads,
   * no source failing), so that every event announced before it is in the log.
   */
  async drainOnce(): Promise<{ logged: number; complete: boolean }> {
    let logged = 0;
    let complete = true;
    for (const source of this.sources) {
      // One failing source (or event) must not hold up the others.
      try {
        const batches = (await source.batches()).sort(byAnnouncement);
        const pointers = await this.drainPointers(source, holdsOf(batches));
        const bulk = await this.drainBatches(source, batches);
        const left = pointers.left + bulk.left;
        const finished = pointers.complete && bulk.complete;
        // A pass that read a poll's worth does not know what lies beyond it: at least one more.
        this.waiting.set(source.name, finished ? left : Math.max(left, 1));
        logged += pointers.logged + bulk.logged;
        complete &&= finished;
      } catch (error) {
        complete = false;
        this.logger.warn({ source: source.name, err: error }, 'draining an outbox failed; retrying');
      }
    }
    return { logged, complete };
  }

  /** Single writes in the order they were announced, but for those `holds` keep back. */
  private async drainPointers(source: OutboxSource, holds: Holds): Promise<PassOutcome> {
    const fetched: OutboxPointer[] = (await source.pointers()).sort(byAnnouncement);
    const entries = fetched.filter((entry) => !isHeld(entry, holds));
    const documents: PendingDocument[] = [];
    const seen = new Set<string>();
    const drained: string[] = [];
    for (const entry of entries) {
      // Read even when logged recently: pulling its events may have failed after they were logged.
      if (!seen.has(entry._id)) documents.push(await this.read(source, entry.collection, entry.key, seen));
      // A young pointer whose event is not there yet announces a write still under way.
      if (seen.has(entry._id) || this.recentIds.has(entry._id) || this.isOrphaned(entry)) drained.push(entry._id);
    }
    const logged = await this.settle(source, [documents.flatMap((document) => document.events)], documents);
    await source.dropPointers(drained);
    const left = fetched.length - drained.length;
    return { logged, left, complete: left === 0 && fetched.length < ENTRIES_PER_POLL };
  }

  /**
   * Bulk writes (imports) and bulk resets, in the order announced, a slice
   * per pass. An entry carrying its events is logged as it is once its
   * writer says which writes landed; until then it and every entry after it
   * wait, unless it is old: its writer stopped, and the documents tell.
   */
  private async drainBatches(source: OutboxSource, entries: OutboxBatch[]): Promise<PassOutcome> {
    let cut = false;
    let taken = 0;
    // Appended one run after another: a reset is a run of its own, so no event crosses it on the way.
    const runs: DomainEvent[][] = [[]];
    const documents: PendingDocument[] = [];
    const seen = new Set<string>();
    const drained: string[] = [];
    const narrowed: { entryId: string; documents: BatchDocument[] }[] = [];
    for (const entry of entries) {
      if (taken >= MAX_BATCH_DOCUMENTS_PER_PASS) {
        cut = true;
        break;
      }
      const orphaned = this.isOrphaned(entry);
      if (entry.events) {
        if (!entry.written && !orphaned) {
          cut = true;
          break;
        }
        const events = entry.written ? eventsOfBatch(entry) : await this.landed(source, entry);
        runs[runs.length - 1].push(...events);
        taken += events.length;
        drained.push(entry._id);
        continue;
      }
      const waiting: BatchDocument[] = [];
      for (const [index, announced] of entry.documents.entries()) {
        const document = await this.read(source, entry.collection, { _id: announced._id }, seen);
        documents.push(document);
        if (entry.collection === RESETS_COLLECTION) runs.push(document.events, []);
        else runs[runs.length - 1].push(...document.events);
        taken += document.events.length;
        // The announced event not there yet: its write is still under way (or failed).
        if (!seen.has(announced.event) && !this.recentIds.has(announced.event)) waiting.push(announced);
        // A young entry whose first document shows nothing yet: its write has not landed, so the
        // rest waits for a later pass (if that one write failed, until the entry is old).
        if (index === 0 && waiting.length === 1 && !orphaned) {
          waiting.push(...entry.documents.slice(1));
          break;
        }
      }
      if (waiting.length === 0 || orphaned) drained.push(entry._id);
      else if (waiting.length < entry.documents.length) narrowed.push({ entryId: entry._id, documents: waiting });
    }
    const logged = await this.settle(source, runs, documents);
    await source.dropBatches(drained);
    for (const { entryId, documents: waiting } of narrowed) await source.narrowBatch(entryId, waiting);
    const left = entries.length - drained.length;
    return { logged, left, complete: left === 0 && !cut && entries.length < BATCHES_PER_POLL };
  }

  /** The events of a bulk write whose writer stopped early that did land: each document names its last. */
  private async landed(source: OutboxSource, entry: OutboxBatch): Promise<DomainEvent[]> {
    const announced = await source.announcedEvents(
      entry.collection,
      entry.documents.map((document) => document._id),
    );
    return eventsOfBatch(entry).filter((event) => announced.has(event.id));
  }

  private isOrphaned(entry: { at: number }): boolean {
    return Date.now() - entry.at > this.config.SYNC_ORPHAN_MS;
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

  /** Logs the runs of events, each after the one before, then pulls from `documents` the events read from them. */
  private async settle(source: OutboxSource, runs: DomainEvent[][], documents: PendingDocument[]): Promise<number> {
    let logged = 0;
    for (const run of runs) {
      const events = eventsToLog(run, this.recentIds);
      if (events.length === 0) continue;
      await this.log.append(events);
      events.forEach((event) => this.recentIds.add(event.id));
      this.logged.inc(events.length);
      logged += events.length;
    }
    await source.acknowledge(documents);
    return logged;
  }
}

/**
 * What keeps single writes back in a pass: those announced after a bulk
 * reset wait until it is in the log, and those on a document of a bulk
 * write announced before them wait for it, so that each document's events
 * reach the log in the order they happened.
 */
interface Holds {
  resetAt: number;
  /** Document `_id` -> when the first bulk write still in the outbox that names it was announced. */
  bulkAt: Map<unknown, number>;
}

function holdsOf(batches: readonly OutboxBatch[]): Holds {
  const bulkAt = new Map<unknown, number>();
  for (const entry of batches) {
    if (!entry.events) continue;
    for (const document of entry.documents) if (!bulkAt.has(document._id)) bulkAt.set(document._id, entry.at);
  }
  return {
    resetAt: batches.find((entry) => entry.collection === RESETS_COLLECTION)?.at ?? Infinity,
    bulkAt,
  };
}

function isHeld(pointer: OutboxPointer, { resetAt, bulkAt }: Holds): boolean {
  return pointer.at >= resetAt || (bulkAt.get(pointer.key._id) ?? Infinity) <= pointer.at;
}
