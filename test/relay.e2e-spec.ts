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

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('relay', () => {
  const dbs = { monolith: uniqueDbName('relay_mono'), search: uniqueDbName('relay_search'), sync: uniqueDbName('relay_sync') };
  let monolith: INestApplication;
  let search: INestApplication;
  let sync: INestApplication;
  let client: ServiceClient;

  beforeAll(async () => {
    const env = await transportEnv('tcp');
    monolith = await createMonolithApp(dbs.monolith);
    search = await startService('search', SearchModule, SearchConfig, env, dbs.search);
    sync = await startSync(env, { MONGO_DB: dbs.sync, MONOLITH_DB: dbs.monolith }, ['search']);
    client = createServiceClient('search', clientEnv(env));
  });

  afterAll(async () => {
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
    const health = await request(sync.getHttpServer()).get('/health').expect(200);
    expect(health.body.checkpoints.search).toBe(health.body.position);
  });
});
