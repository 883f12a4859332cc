import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { transportEnv } from './support/services';
import { createMonolithApp } from './support/monolith-app';
import { uniqueDbName } from './support/store';
import { startSync } from './support/sync-app';

describe('GET /reconcile on the relay', () => {
  const dbs = { monolith: uniqueDbName('reconcile_mono'), search: uniqueDbName('reconcile_search') };
  let monolith: INestApplication;
  let sync: INestApplication;

  beforeAll(async () => {
    monolith = await createMonolithApp(dbs.monolith);
    // search is a consumer, but no search service runs: what the monolith writes never reaches its database.
    sync = await startSync(await transportEnv('tcp'), { MONOLITH_DB: dbs.monolith, SEARCH_DB: dbs.search }, ['search']);
  });

  afterAll(async () => {
    await sync?.close();
    await monolith?.close();
  });

  it("reports each fed service's drift as counts with example keys, one comparison for callers at once", async () => {
    const ids: string[] = [];
    for (const title of ['Reconcile pandas frames', 'Reconcile Django models']) {
      const created = await request(monolith.getHttpServer()).post('/posts').send({ title, author: 'ann' }).expect(201);
      ids.push(created.body.id);
    }
    const [first, second] = await Promise.all([
      request(sync.getHttpServer()).get('/reconcile').expect(200),
      request(sync.getHttpServer()).get('/reconcile').expect(200),
    ]);
    expect(second.body).toEqual(first.body);
    expect(first.body).toEqual({
      at: expect.any(String),
      services: [
        {
          service: 'search',
          drift: true,
          projections: [
            {
              projection: 'posts',
              monolithCount: 2,
              serviceCount: 0,
              missing: 2,
              extra: 0,
              different: 0,
              examples: { missing: expect.arrayContaining(ids), extra: [], different: [] },
            },
          ],
        },
      ],
    });
  });
});
