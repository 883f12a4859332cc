import { INestApplication } from '@nestjs/common';
import { Db } from 'mongodb';
import { EVENTS, PATTERNS, SearchResult, domainEvent } from '@app/contracts';
import { OUTBOX_BATCHES_COLLECTION, OUTBOX_COLLECTION, RESETS_COLLECTION } from '@app/data';
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
