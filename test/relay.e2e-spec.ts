import { INestApplication } from '@nestjs/common';
import { Db } from 'mongodb';
import { Readable } from 'node:stream';
import request from 'supertest';
import { PATTERNS, SearchResult } from '@app/contracts';
import { ServiceClient, createServiceClient } from '@app/transport';
import { SearchConfig } from '../extracted/search/src/search.config';
import { SearchModule } from '../extracted/search/src/search.module';
import { formatDumpLine, generatePosts, importStream } from '../datasets/src';
import { eventually } from '@app/platform';
import { createMonolithApp } from './support/monolith-app';
import { clientEnv, startService, transportEnv } from './support/services';
import { openDb, testMongoUrl, uniqueDbName } from './support/store';
import { startSync } from './support/sync-app';

describe('relay', () => {
  const dbs = {
    monolith: uniqueDbName('relay_mono'),
    search: uniqueDbName('relay_search'),
  };
  let store: { db: Db; close: () => Promise<void> };
  let monolith: INestApplication;
  let search: INestApplication;
  let sync: INestApplication;
  let client: ServiceClient;

  beforeAll(async () => {
    const env = await transportEnv('tcp');
    monolith = await createMonolithApp(dbs.monolith);
    search = await startService('search', SearchModule, SearchConfig, env, dbs.search);
    sync = await startSync(env, { MONOLITH_DB: dbs.monolith }, ['search']);
    client = createServiceClient('search', clientEnv(env));
    store = await openDb(dbs.monolith);
  });

  afterAll(async () => {
    await store?.close();
    await client?.close();
    await sync?.close();
    await search?.close();
    await monolith?.close();
  });

  it('delivers a post created in the monolith to the search service', async () => {
    const created = await request(monolith.getHttpServer())
      .post('/posts')
      .send({ title: 'Relaying events with Flask', author: 'ann' })
      .expect(201);
    const result = await eventually(
      () => client.send<SearchResult>(PATTERNS.search.query, { q: 'relay flask' }),
      (found) => found.total === 1,
    );
    expect(result.items.map((hit) => hit.id)).toEqual([created.body.id]);
    const health = await eventually(
      () => request(sync.getHttpServer()).get('/health'),
      (res) => res.body.checkpoints?.search === res.body.position,
    );
    expect(health.body.checkpoints.search).toBe(health.body.position);
  });

  it('empties the outbox of a relayed write', async () => {
    const created = await request(monolith.getHttpServer())
      .post('/posts')
      .send({ title: 'Outbox', author: 'ann' })
      .expect(201);
    const pending = await eventually(
      async () => ({
        pointers: await store.db.collection('outbox').countDocuments({}),
        post: await store.db.collection('posts').findOne({ id: created.body.id }),
      }),
      ({ pointers, post }) => pointers === 0 && post?.outbox?.length === 0,
    );
    expect(pending.pointers).toBe(0);
    expect(pending.post?.outbox).toEqual([]);
  });

  it('relays both events of a post an import inserts and then changes in one batch', async () => {
    const [post] = generatePosts({ count: 1, seed: 2024 });
    const changed = { ...post, title: 'Relayed twice through one import batch' };
    const dump = [post, changed].map((line) => `${formatDumpLine(line)}\n`);
    const summary = await importStream(Readable.from(dump), { mongoUrl: testMongoUrl(), dbName: dbs.monolith });
    expect(summary).toMatchObject({ inserted: 1, updated: 1 });
    const result = await eventually(
      () => client.send<SearchResult>(PATTERNS.search.query, { q: 'relayed twice import batch' }),
      (found) => found.total === 1,
    );
    expect(result.items).toEqual([expect.objectContaining({ id: post.id, title: changed.title })]);
    const entries = await eventually(
      async () =>
        (await store.db.collection('outbox').countDocuments({})) +
        (await store.db.collection('outbox_batches').countDocuments({})),
      (count) => count === 0,
    );
    expect(entries).toBe(0);
  });
});
