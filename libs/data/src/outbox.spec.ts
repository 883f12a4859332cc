import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Collection } from 'mongodb';
import { DomainEvent, EVENTS, domainEvent } from '@app/contracts';
import { openTestDb, testMongoUrl } from '../../../test/support/store';
import { isDuplicateKeyError, unlessDuplicateKey } from './mongo-errors';
import { MongoModule } from './mongo.module';
import {
  OUTBOX_BATCHES_COLLECTION,
  OUTBOX_COLLECTION,
  Outbox,
  OutboxBatch,
  OutboxPointer,
  OutboxWaker,
  eventsOfBatch,
} from './outbox';
import { VersionedDocument, applyEachAtPosition } from './versioned';

interface Liked {
  _id: string;
  count: number;
  outbox?: DomainEvent[];
}

describe('Outbox.record', () => {
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  let outbox: Outbox;
  let wakes: number;
  let entries: Collection<OutboxPointer>;
  let likes: Collection<Liked>;
  const event = (id: string) => domainEvent(EVENTS.postUpdated, `post:${id}`, { id } as never);
  const insertLike = (_id: string, recorded: DomainEvent) =>
    unlessDuplicateKey(async () => {
      await likes.insertOne({ _id, count: 1, outbox: [recorded] });
      return true;
    });

  beforeAll(async () => {
    testDb = await openTestDb('outbox');
    const waker: OutboxWaker = { wake: () => void wakes++ };
    outbox = new Outbox(testDb.db, waker);
    entries = testDb.db.collection<OutboxPointer>(OUTBOX_COLLECTION);
    likes = testDb.db.collection<Liked>('likes');
  });

  beforeEach(async () => {
    wakes = 0;
    await entries.deleteMany({});
    await likes.deleteMany({});
  });

  afterAll(async () => {
    await testDb?.close();
  });

  it('leaves exactly one announcement, by _id, after a write that happened, and wakes the relay once', async () => {
    const recorded = event('a');
    expect(await outbox.record('likes', 'a', recorded, () => insertLike('a', recorded))).toBe(true);
    expect(await entries.find({}).toArray()).toEqual([
      { _id: recorded.id, collection: 'likes', key: { _id: 'a' }, at: recorded.at },
    ]);
    expect(wakes).toBe(1);
  });

  it('withdraws the announcement of a duplicate insert and does not wake the relay', async () => {
    const first = event('a');
    await outbox.record('likes', 'a', first, () => insertLike('a', first));
    const again = event('a');
    expect(await outbox.record('likes', 'a', again, () => insertLike('a', again))).toBe(false);
    expect((await entries.find({}).toArray()).map((entry) => entry._id)).toEqual([first.id]);
    expect(wakes).toBe(1);
  });

  it('withdraws the announcement of a conditional update that matched nothing', async () => {
    const recorded = event('missing');
    const updated = await outbox.record('likes', 'missing', recorded, async () => {
      const { modifiedCount } = await likes.updateOne({ _id: 'missing' }, { $inc: { count: 1 } });
      return modifiedCount === 1;
    });
    expect(updated).toBe(false);
    expect(await entries.countDocuments({})).toBe(0);
    expect(wakes).toBe(0);
  });

  it('leaves the announcement of a write that threw: the relay drops it once old', async () => {
    const recorded = event('b');
    await likes.insertOne({ _id: 'b', count: 1 });
    const failing = async () => {
      await likes.insertOne({ _id: 'b', count: 2 });
      return true;
    };
    const error = await outbox.record('likes', 'b', recorded, failing).catch((thrown: unknown) => thrown);
    expect(isDuplicateKeyError(error)).toBe(true);
    expect(await entries.findOne({ _id: recorded.id })).toMatchObject({ key: { _id: 'b' } });
    expect(wakes).toBe(0);
  });
});

describe('MongoModule', () => {
  it('gives the Outbox the waker it is configured with', async () => {
    const testDb = await openTestDb('outbox_waker');
    let wakes = 0;
    @Module({
      imports: [
        MongoModule.forRootAsync({
          inject: [],
          useFactory: () => ({ url: testMongoUrl(), dbName: testDb.dbName }),
          outboxWaker: { useFactory: () => ({ wake: () => void wakes++ }) },
        }),
      ],
    })
    class WithWaker {}
    const moduleRef = await NestFactory.createApplicationContext(WithWaker, { logger: false });
    try {
      const recorded = domainEvent(EVENTS.postUpdated, 'post:a', { id: 'a' } as never);
      await moduleRef.get(Outbox).record('likes', 'a', recorded, async () => true);
      expect(wakes).toBe(1);
    } finally {
      await moduleRef.close();
      await testDb.close();
    }
  });
});

describe('Outbox.announceBulk', () => {
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  let wakes = 0;
  let outbox: Outbox;
  const event = (id: string) => domainEvent(EVENTS.postCreated, `post:${id}`, { id } as never);

  beforeAll(async () => {
    testDb = await openTestDb('outbox_bulk');
    outbox = new Outbox(testDb.db, { wake: () => void wakes++ });
  });

  afterAll(async () => {
    await testDb?.close();
  });

  it('carries the events, unwritten, then names only the writes that landed and wakes the relay', async () => {
    const [a, b] = [event('a'), event('b')];
    const entryId = await outbox.announceBulk('posts', [
      { _id: 'a', event: a },
      { _id: 'b', event: b },
    ]);
    const batches = testDb.db.collection<OutboxBatch>(OUTBOX_BATCHES_COLLECTION);
    expect(await batches.findOne({ _id: entryId })).toMatchObject({
      collection: 'posts',
      written: false,
      documents: [
        { _id: 'a', event: a.id },
        { _id: 'b', event: b.id },
      ],
    });
    expect(eventsOfBatch((await batches.findOne({ _id: entryId }))!)).toEqual([a, b]);
    expect(wakes).toBe(0);

    await outbox.bulkWritten(entryId, [{ _id: 'b', event: b }]);
    expect(await batches.findOne({ _id: entryId })).toMatchObject({
      written: true,
      documents: [{ _id: 'b', event: b.id }],
    });
    expect(eventsOfBatch((await batches.findOne({ _id: entryId }))!)).toEqual([b]);
    expect(wakes).toBe(1);
  });
});

describe('applyEachAtPosition', () => {
  interface Hit extends VersionedDocument {
    title: string;
  }
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  let hits: Collection<Hit>;
  const at = (_id: string, position: number, title: string) => ({ _id, position, state: { title } });

  beforeAll(async () => {
    testDb = await openTestDb('apply_each');
    hits = testDb.db.collection<Hit>('hits');
  });

  afterAll(async () => {
    await testDb?.close();
  });

  it('applies each event once, in order, whether its document is new, stored or named twice', async () => {
    await hits.insertOne({ _id: 'stored', title: 'old', version: 5, applied: 1 });
    const applied = await applyEachAtPosition(hits, [
      at('new', 10, 'new one'),
      at('stored', 11, 'stored, changed'),
      at('twice', 12, 'first'),
      at('twice', 13, 'second'),
      at('stored', 4, 'older than the stored state'),
    ]);
    expect(applied).toEqual([true, true, true, true, false]);
    expect(await hits.find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'new', title: 'new one', version: 10, applied: 1 },
      { _id: 'stored', title: 'stored, changed', version: 11, applied: 2 },
      { _id: 'twice', title: 'second', version: 13, applied: 2 },
    ]);

    // The same delivery again changes nothing.
    expect(await applyEachAtPosition(hits, [at('new', 10, 'new one'), at('twice', 13, 'second')])).toEqual([
      false,
      false,
    ]);
    expect(await hits.findOne({ _id: 'new' })).toMatchObject({ applied: 1 });
  });
});
