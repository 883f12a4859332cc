import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { aPost, insertPosts } from '../../../test/support/builders';
import { createMonolithApp } from '../../../test/support/monolith-app';
import { openTestDb } from '../../../test/support/store';

describe('posts', () => {
  let app: INestApplication;
  let testDb: Awaited<ReturnType<typeof openTestDb>>;

  beforeAll(async () => {
    testDb = await openTestDb('posts');
    app = await createMonolithApp(testDb.dbName);
    await insertPosts(testDb.db, [
      aPost({ id: 'old', created_utc: 100 }),
      aPost({ id: 'b', created_utc: 300 }),
      aPost({ id: 'a', created_utc: 300 }),
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await testDb?.close();
  });

  describe('GET /posts', () => {
    it('lists newest first, ties by id, with paging links', async () => {
      const res = await request(app.getHttpServer()).get('/posts?page=1&limit=2').expect(200);
      expect(res.body.items.map((p: { id: string }) => p.id)).toEqual(['a', 'b']);
      expect(res.body).toMatchObject({ page: 1, limit: 2, total: 3 });
      expect(res.body.links).toEqual({ self: '/posts?page=1&limit=2', next: '/posts?page=2&limit=2', prev: null });
      expect(res.body.items[0]).not.toHaveProperty('_id');
      expect(res.body.items[0]).not.toHaveProperty('title_words');
    });

    it.each([['limit=0'], ['limit=101'], ['page=0'], ['page=abc'], ['limit[$gt]=1'], ['sort=1']])(
      'rejects %s with a 400 naming the field',
      async (query) => {
        const res = await request(app.getHttpServer()).get(`/posts?${query}`).expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        expect(res.body.message).toMatch(new RegExp(query.split(/[=[]/)[0]));
      },
    );
  });

  describe('GET /posts/:id', () => {
    it('returns the post', async () => {
      const res = await request(app.getHttpServer()).get('/posts/old').expect(200);
      expect(res.body).toMatchObject({ id: 'old', name: 't3_old' });
    });

    it('answers 404 for an unknown id', async () => {
      const res = await request(app.getHttpServer()).get('/posts/nope').expect(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'post nope not found' });
    });

    it('answers 400 for a malformed id', async () => {
      await request(app.getHttpServer()).get('/posts/bad%24id').expect(400);
    });
  });

  describe('POST /posts', () => {
    it('creates a post with derived fields and a Location', async () => {
      const res = await request(app.getHttpServer())
        .post('/posts')
        .send({ title: 'Django and asyncio tips', author: 'bob', selftext: 'pytest too' })
        .expect(201);
      expect(res.headers.location).toBe(`/posts/${res.body.id}`);
      expect(res.body).toMatchObject({ author: 'bob', score: 1, upsanddowns: -1, is_self: true });
      expect(res.body.tags).toEqual(expect.arrayContaining(['django', 'async', 'testing']));
      await request(app.getHttpServer()).get(res.headers.location).expect(200);
    });

    it('records post.created in the post and points the relay at it', async () => {
      const res = await request(app.getHttpServer())
        .post('/posts')
        .send({ title: 'Relay me', author: 'bob' })
        .expect(201);
      const stored = await testDb.db.collection('posts').findOne({ _id: res.body.id });
      expect(stored?.outbox).toEqual([
        expect.objectContaining({
          type: 'post.created',
          aggregate: `post:${res.body.id}`,
          payload: expect.objectContaining({ title: 'Relay me' }),
        }),
      ]);
      const pointer = await testDb.db.collection('outbox').findOne({ _id: stored?.outbox[0].id });
      expect(pointer).toMatchObject({ collection: 'posts', key: { _id: res.body.id } });
    });

    it.each([
      [{ author: 'bob' }, /title/],
      [{ title: 'x', author: 'bad name!' }, /author/],
      [{ title: 'x', author: 'bob', url: 'ftp://x' }, /url/],
      [{ title: 'x', author: 'bob', votes: 3 }, /votes/],
      [{ title: '   ', author: 'bob' }, /title/],
    ])('rejects %j with a 400 naming the field', async (body, field) => {
      const res = await request(app.getHttpServer()).post('/posts').send(body).expect(400);
      expect(res.body.message).toMatch(field);
    });

    it('rejects malformed JSON with a 400', async () => {
      await request(app.getHttpServer())
        .post('/posts')
        .set('content-type', 'application/json')
        .send('{"title":')
        .expect(400);
    });

    it('rejects an over-limit body with a 413', async () => {
      const res = await request(app.getHttpServer())
        .post('/posts')
        .send({ title: 'x', author: 'bob', selftext: 'y'.repeat(200_000) })
        .expect(413);
      expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    });
  });
});
