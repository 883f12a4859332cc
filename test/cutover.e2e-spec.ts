import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PATTERNS, SearchResult } from '@app/contracts';
import { ServiceClient, createServiceClient } from '@app/transport';
import { SearchConfig } from '../extracted/search/src/search.config';
import { SearchModule } from '../extracted/search/src/search.module';
import { createMonolithApp } from './support/monolith-app';
import { clientEnv, startService, transportEnv } from './support/services';
import { uniqueDbName } from './support/store';
import { startSync } from './support/sync-app';

describe('POST /cutover on the relay', () => {
  const dbs = { monolith: uniqueDbName('cutover_mono'), search: uniqueDbName('cutover_search') };
  let monolith: INestApplication;
  let search: INestApplication;
  let sync: INestApplication;
  let client: ServiceClient;

  beforeAll(async () => {
    const env = await transportEnv('tcp');
    monolith = await createMonolithApp(dbs.monolith);
    search = await startService('search', SearchModule, SearchConfig, env, dbs.search);
    // recommendations is a consumer of the log, but no such service runs: it never catches up.
    sync = await startSync(env, { MONOLITH_DB: dbs.monolith }, ['search', 'recommendations']);
    client = createServiceClient('search', clientEnv(env));
  });

  afterAll(async () => {
    await client?.close();
    await sync?.close();
    await search?.close();
    await monolith?.close();
  });

  it('answers once the consumer has applied every write accepted before the call', async () => {
    const titles = ['Cutover with Django signals', 'Cutover of Flask sessions', 'Cutover for asyncio queues'];
    const ids: string[] = [];
    for (const title of titles) {
      const created = await request(monolith.getHttpServer()).post('/posts').send({ title, author: 'ann' }).expect(201);
      ids.push(created.body.id);
    }
    const res = await request(sync.getHttpServer())
      .post('/cutover')
      .send({ consumer: 'search', timeoutMs: 30_000 })
      .expect(200);
    expect(res.body).toMatchObject({ consumer: 'search', position: expect.any(Number) });
    expect(res.body.ackFloor).toBeGreaterThanOrEqual(res.body.position);
    // No waiting here: the answer itself is the promise that the writes are there.
    const found = await client.send<SearchResult>(PATTERNS.search.query, { q: 'cutover' });
    expect(found.items.map((hit) => hit.id).sort()).toEqual([...ids].sort());
  });

  it('answers 504 with the reason when the consumer does not catch up in time', async () => {
    await request(monolith.getHttpServer())
      .post('/posts')
      .send({ title: 'Never delivered', author: 'bob' })
      .expect(201);
    const res = await request(sync.getHttpServer())
      .post('/cutover')
      .send({ consumer: 'recommendations', timeoutMs: 500 })
      .expect(504);
    expect(res.body).toMatchObject({ statusCode: 504 });
    expect(res.body.message).toMatch(
      /^recommendations did not catch up within 500 ms: it has acknowledged the log up to \d+ of \d+$/,
    );
  });

  it('answers 404 for a consumer the relay does not feed, and 400 for a bad body', async () => {
    const unknown = await request(sync.getHttpServer()).post('/cutover').send({ consumer: 'tagging' }).expect(404);
    expect(unknown.body.message).toBe(
      'consumer tagging is not fed by this relay (consumers: search, recommendations, monolith)',
    );
    const bad = await request(sync.getHttpServer())
      .post('/cutover')
      .send({ consumer: 'search', timeoutMs: 'soon', extra: 1 })
      .expect(400);
    expect(bad.body.message).toMatch(/timeoutMs/);
    expect(bad.body.message).toMatch(/property extra should not exist/);
  });
});
