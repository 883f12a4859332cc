import { INestApplication } from '@nestjs/common';
import { Db } from 'mongodb';
import { DomainEvent, EVENTS, PATTERNS, SearchResult, domainEvent } from '@app/contracts';
import { ANNOUNCED_EVENT_FIELD, OUTBOX_BATCHES_COLLECTION, OUTBOX_COLLECTION, RESETS_COLLECTION } from '@app/data';
import { eventually } from '@app/platform';
import { ServiceClient, createServiceClient } from '@app/transport';
import { SearchConfig } from '../extracted/search/src/search.config';
import { SearchModule } from '../extracted/search/src/search.module';
import { aPost } from './support/builders';
import { clientEnv, startService, transportEnv } from './support/services';
import { openDb, uniqueDbName } from './support/store';
import { startSync } from './support/sync-app';

describe('relay order around a bulk reset', () => {
  const dbs = { monolith: uniqueDbName('order_mono'), search: uniqueDbName('order_search') };
  let store: { db: Db; close: () => Promise<void> };
  let search: INestApplication;
  let sync: INestApplication | undefined;
  let client: ServiceClient;
  let env: Record<string, string>;

  beforeAll(async () => {
    env = await transportEnv('tcp');
    search = await startService('search', SearchModule, SearchConfig, env, dbs.search);
    client = createServiceClient('search', clientEnv(env));
    store = await openDb(dbs.monolith);
  });

  afterAll(async () => {
    await sync?.close();
    await client?.close();
    await search?.close();
    await store?.close();
  });

  it('logs a post created after a bulk reset after the reset, so the services keep it', async () => {
    // As the outboxes stand when one relay pass finds both: a reset, then a single write after it.
    const now = Date.now();
    const reset = domainEvent(EVENTS.postsDropped, 'posts', {});
    await store.db.collection(OUTBOX_BATCHES_COLLECTION).insertOne({
      _id: 'batch:reset' as never,
      collection: RESETS_COLLECTION,
      documents: [{ _id: 'posts', event: reset.id }],
      at: now - 2,
    });
    await store.db.collection(RESETS_COLLECTION).insertOne({ _id: 'posts' as never, outbox: [reset] });
    const post = aPost({ id: 'after-reset', title: 'Written after the reset' });
    const created = domainEvent(EVENTS.postCreated, `post:${post.id}`, post);
    await store.db.collection(OUTBOX_COLLECTION).insertOne({
      _id: created.id as never,
      collection: 'posts',
      key: { _id: post.id },
      at: now - 1,
    });
    await store.db.collection('posts').insertOne({ ...post, _id: post.id as never, outbox: [created] });

    sync = await startSync(env, { MONOLITH_DB: dbs.monolith }, ['search']);

    const found = await eventually(
      () => client.send<SearchResult>(PATTERNS.search.query, { q: 'written after reset' }),
      (result) => result.total === 1,
    );
    expect(found.items.map((hit) => hit.id)).toEqual(['after-reset']);
    // Both events are through: the reset did not remove the post written after it.
    await eventually(
      async () => (await store.db.collection(OUTBOX_COLLECTION).countDocuments({})) === 0,
      (empty) => empty,
    );
    const again = await client.send<SearchResult>(PATTERNS.search.query, { q: 'written after reset' });
    expect(again.total).toBe(1);
  });
});

describe('relay order and recovery around an import', () => {
  const dbs = { monolith: uniqueDbName('import_mono'), search: uniqueDbName('import_search') };
  let store: { db: Db; close: () => Promise<void> };
  let search: INestApplication;
  let sync: INestApplication | undefined;
  let client: ServiceClient;
  let env: Record<string, string>;
  const hitsFor = (q: string) => client.send<SearchResult>(PATTERNS.search.query, { q });

  /** An import's announcement as its writer leaves it: carrying the events, written or not yet. */
  const bulkEntry = (_id: string, at: number, written: boolean, events: DomainEvent<typeof EVENTS.postCreated>[]) =>
    store.db.collection(OUTBOX_BATCHES_COLLECTION).insertOne({
      _id: _id as never,
      collection: 'posts',
      documents: events.map((event) => ({ _id: event.payload.id, event: event.id })),
      events: JSON.stringify(events),
      written,
      at,
    });
  const created = (id: string, title: string) =>
    domainEvent(EVENTS.postCreated, `post:${id}`, aPost({ id, title })) as DomainEvent<typeof EVENTS.postCreated>;

  beforeAll(async () => {
    env = await transportEnv('tcp');
    search = await startService('search', SearchModule, SearchConfig, env, dbs.search);
    client = createServiceClient('search', clientEnv(env));
    store = await openDb(dbs.monolith);
    const now = Date.now();

    // A writer that stopped before saying which writes landed: one post was written, one was not.
    const landed = created('landed', 'Stranded import that landed');
    const lost = created('lost', 'Stranded import that never landed');
    await bulkEntry('batch:stranded', now - 60_000, false, [landed, lost]);
    await store.db
      .collection('posts')
      .insertOne({ ...landed.payload, _id: 'landed' as never, [ANNOUNCED_EVENT_FIELD]: landed.id });

    // An imported post edited right after: the edit's pointer is younger than the import's entry.
    const imported = created('edited', 'Imported title');
    await bulkEntry('batch:imported', now - 2, true, [imported]);
    const edit = domainEvent(EVENTS.postUpdated, 'post:edited', aPost({ id: 'edited', title: 'Edited afterwards' }));
    await store.db
      .collection(OUTBOX_COLLECTION)
      .insertOne({ _id: edit.id as never, collection: 'posts', key: { _id: 'edited' }, at: now - 1 });
    await store.db
      .collection('posts')
      .insertOne({ ...edit.payload, _id: 'edited' as never, [ANNOUNCED_EVENT_FIELD]: imported.id, outbox: [edit] });

    sync = await startSync({ ...env, SYNC_ORPHAN_MS: '1000' }, { MONOLITH_DB: dbs.monolith }, ['search']);
    await eventually(
      async () =>
        (await store.db.collection(OUTBOX_BATCHES_COLLECTION).countDocuments({})) +
        (await store.db.collection(OUTBOX_COLLECTION).countDocuments({})),
      (left) => left === 0,
      60_000,
    );
  });

  afterAll(async () => {
    await sync?.close();
    await client?.close();
    await search?.close();
    await store?.close();
  });

  it("logs a stopped import's events for the posts that carry them, and not the others", async () => {
    const found = await eventually(
      () => hitsFor('stranded import'),
      (result) => result.total > 0,
    );
    expect(found.items.map((hit) => hit.id)).toEqual(['landed']);
  });

  it("logs an edit of an imported post after the import's event, so the services keep the edit", async () => {
    const edited = await eventually(
      () => hitsFor('edited afterwards'),
      (result) => result.total > 0,
    );
    expect(edited.items.map((hit) => hit.id)).toEqual(['edited']);
    expect((await hitsFor('imported title')).total).toBe(0);
  });
});
