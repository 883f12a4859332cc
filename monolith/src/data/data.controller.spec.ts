import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { aPost, insertPosts } from '../../../test/support/builders';
import { createMonolithApp } from '../../../test/support/monolith-app';
import { openTestDb } from '../../../test/support/store';

const ids = (res: request.Response) => res.body._items.map((post: { id: string }) => post.id);

describe('GET /data', () => {
  let app: INestApplication;
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  const get = (path: string) => request(app.getHttpServer()).get(path);

  beforeAll(async () => {
    testDb = await openTestDb('data');
    app = await createMonolithApp(testDb.dbName);
    // 30 posts, p00 oldest; two share a timestamp so the id decides.
    await insertPosts(testDb.db, [
      ...Array.from({ length: 28 }, (_, i) => aPost({ id: `p${String(i).padStart(2, '0')}`, created_utc: 1000 + i })),
      aPost({ id: 'tie_b', created_utc: 5000 }),
      aPost({ id: 'tie_a', created_utc: 5000 }),
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await testDb?.close();
  });

  it('answers the first 25 posts, newest first, in the Eve envelope', async () => {
    const res = await get('/data').expect(200);
    expect(ids(res)).toHaveLength(25);
    expect(ids(res).slice(0, 3)).toEqual(['tie_a', 'tie_b', 'p27']);
    expect(res.body._meta).toEqual({ page: 1, max_results: 25, total: 30 });
    expect(res.body._links).toEqual({
      self: { href: '/data?page=1&max_results=25', title: 'data' },
      parent: { href: '/', title: 'home' },
      next: { href: '/data?page=2&max_results=25', title: 'next page' },
      last: { href: '/data?page=2&max_results=25', title: 'last page' },
    });
    expect(res.body._items[0]).not.toHaveProperty('_id');
    expect(res.body._items[0]).not.toHaveProperty('outbox');
  });

  it('links back from the last page and offers no next or last', async () => {
    const res = await get('/data?page=2').expect(200);
    expect(ids(res)).toEqual(['p04', 'p03', 'p02', 'p01', 'p00']);
    expect(res.body._links).toEqual({
      self: { href: '/data?page=2&max_results=25', title: 'data' },
      parent: { href: '/', title: 'home' },
      prev: { href: '/data?page=1&max_results=25', title: 'previous page' },
    });
  });

  it('pages by max_results', async () => {
    const res = await get('/data?page=3&max_results=4').expect(200);
    expect(ids(res)).toEqual(['p21', 'p20', 'p19', 'p18']);
    expect(res.body._meta).toEqual({ page: 3, max_results: 4, total: 30 });
    expect(res.body._links).toMatchObject({
      next: { href: '/data?page=4&max_results=4' },
      prev: { href: '/data?page=2&max_results=4' },
      last: { href: '/data?page=8&max_results=4' },
    });
  });

  it('answers an empty page past the end, pointing back at the last page', async () => {
    const res = await get('/data?page=9&max_results=10').expect(200);
    expect(res.body._items).toEqual([]);
    expect(res.body._links.prev).toEqual({ href: '/data?page=3&max_results=10', title: 'previous page' });
    expect(res.body._links).not.toHaveProperty('next');
  });

  it.each([
    ['max_results=0'],
    ['max_results=101'],
    ['max_results=ten'],
    ['page=0'],
    ['page=1.5'],
    ['limit=10'],
    ['max_results[$gt]=1'],
  ])('rejects %s with a 400 naming the field', async (query) => {
    const res = await get(`/data?${query}`).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.message).toMatch(new RegExp(query.split(/[=[]/)[0]));
  });
});
