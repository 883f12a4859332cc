import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { aPost, insertPosts } from '../../../test/support/builders';
import { createMonolithApp } from '../../../test/support/monolith-app';
import { openTestDb } from '../../../test/support/store';

const ids = (res: request.Response) => res.body.items.map((hit: { id: string }) => hit.id);

describe('search', () => {
  let app: INestApplication;
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  const search = (query: string) => request(app.getHttpServer()).get(`/search?${query}`);

  beforeAll(async () => {
    testDb = await openTestDb('search');
    app = await createMonolithApp(testDb.dbName);
    await insertPosts(testDb.db, [
      aPost({ id: 'dj1', title: 'Django tips for beginners', ups: 40, downs: 0 }),
      aPost({ id: 'dj2', title: 'Using asyncio.gather inside Django views', ups: 30, downs: 0 }),
      aPost({ id: 'dj3', title: 'DJANGO ORM performance', ups: 20, downs: 0 }),
      aPost({ id: 'fl1', title: 'Flask or FastAPI?', ups: 10, downs: 0 }),
      // Ties: equal score -> more comments first -> smaller id first.
      aPost({ id: 'tc', title: 'Tiebreak story', ups: 5, downs: 0, num_comments: 1 }),
      aPost({ id: 'tb', title: 'Tiebreak story', ups: 5, downs: 0, num_comments: 1 }),
      aPost({ id: 'ta', title: 'Tiebreak story', ups: 5, downs: 0, num_comments: 0 }),
      aPost({ id: 'td', title: 'Tiebreak story', ups: 5, downs: 0, num_comments: 9 }),
      aPost({ id: 'te', title: 'Tiebreak story', ups: 6, downs: 0, num_comments: 0 }),
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await testDb?.close();
  });

  describe('GET /search', () => {
    it('matches only posts containing every query word', async () => {
      const res = await search('q=django+tips').expect(200);
      expect(ids(res)).toEqual(['dj1']);
    });

    it('matches every word as a prefix of a title word, in any order', async () => {
      expect(ids(await search('q=djan').expect(200))).toEqual(['dj1', 'dj2', 'dj3']);
      expect(ids(await search('q=perf+djan').expect(200))).toEqual(['dj3']);
    });

    it('does not match inside a word', async () => {
      expect(ids(await search('q=ango').expect(200))).toEqual([]);
    });

    it('compares case-insensitively', async () => {
      expect(ids(await search('q=DjAnGo+orm').expect(200))).toEqual(['dj3']);
    });

    it('splits title and query words at punctuation', async () => {
      expect(ids(await search('q=gather').expect(200))).toEqual(['dj2']);
      expect(ids(await search(`q=${encodeURIComponent('asyncio.gather!')}`).expect(200))).toEqual(['dj2']);
      expect(ids(await search(`q=${encodeURIComponent('fastapi?')}`).expect(200))).toEqual(['fl1']);
    });

    it('orders by score desc, then num_comments desc, then id asc', async () => {
      expect(ids(await search('q=tiebreak').expect(200))).toEqual(['te', 'td', 'tb', 'tc', 'ta']);
    });

    it('returns the query, the hits in the public shape, the total and the page', async () => {
      const res = await search('q=tiebreak&page=2&limit=2').expect(200);
      expect(res.body).toMatchObject({ query: 'tiebreak', total: 5, page: 2, limit: 2 });
      expect(ids(res)).toEqual(['tb', 'tc']);
      expect(res.body.items[0]).toEqual({
        id: 'tb',
        title: 'Tiebreak story',
        score: 5,
        num_comments: 1,
        permalink: '/r/Python/comments/tb/post/',
      });
    });

    it('keeps the total on a page past the end', async () => {
      const res = await search('q=tiebreak&page=3&limit=2').expect(200);
      expect(res.body).toMatchObject({ total: 5, page: 3, limit: 2 });
      expect(ids(res)).toEqual(['ta']);
      const beyond = await search('q=tiebreak&page=9&limit=2').expect(200);
      expect(beyond.body).toMatchObject({ items: [], total: 5 });
    });

    it.each([
      ['an empty q', 'q=', /q must contain at least one letter or digit/],
      ['a whitespace-only q', 'q=%20%20%20', /q must contain at least one letter or digit/],
      ['a q of punctuation only', 'q=...%3F!', /q must contain at least one letter or digit/],
      ['a missing q', 'page=1', /q must be given/],
      ['an operator-shaped q', 'q[$gt]=x', /q/],
      ['a q starting with $', 'q=$where', /q/],
      ['a q over 200 characters', `q=${'a'.repeat(201)}`, /q must be at most 200 characters/],
      ['limit=0', 'q=django&limit=0', /limit/],
      ['limit=101', 'q=django&limit=101', /limit/],
      ['page=0', 'q=django&page=0', /page/],
      ['an unknown parameter', 'q=django&sort=score', /sort/],
    ])('rejects %s with a 400 naming the field', async (_case, query, message) => {
      const res = await search(query).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message).toMatch(message);
    });

    it('accepts a query of exactly the maximum length', async () => {
      await search(`q=${'a'.repeat(200)}`).expect(200);
    });
  });
});
