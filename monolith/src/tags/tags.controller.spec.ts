import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DomainEvent } from '@app/contracts';
import { aPost, insertPosts, removeAllPosts } from '../../../test/support/builders';
import { createMonolithApp } from '../../../test/support/monolith-app';
import { openTestDb } from '../../../test/support/store';
import { TagsRepository } from './tags.repository';

const ids = (res: request.Response) => res.body.items.map((post: { id: string }) => post.id);

/** A post whose automatic tags are exactly `tags`. */
const autoTagged = (id: string, created_utc: number, tags: string[]) =>
  aPost({ id, created_utc, tags, auto_tags: tags, manual_tags: [] });

describe('tags', () => {
  let app: INestApplication;
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  const http = () => request(app.getHttpServer());
  const storedPost = (id: string) => testDb.db.collection('posts').findOne({ _id: id as never });

  beforeAll(async () => {
    testDb = await openTestDb('tags');
    app = await createMonolithApp(testDb.dbName);
  });

  beforeEach(async () => {
    await removeAllPosts(testDb.db);
    await insertPosts(testDb.db, [
      autoTagged('d1', 100, ['django', 'web']),
      autoTagged('d2', 300, ['django']),
      autoTagged('d3', 200, ['django', 'testing']),
      autoTagged('w1', 400, ['web']),
      autoTagged('a1', 500, ['async']),
      autoTagged('none', 600, []),
      aPost({ id: 'dj', title: 'Django tips', manual_tags: [] }),
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await testDb?.close();
  });

  describe('GET /tags', () => {
    it('counts the posts per tag, most used first, ties by tag', async () => {
      const res = await http().get('/tags').expect(200);
      expect(res.body).toEqual([
        { tag: 'django', count: 4 },
        { tag: 'web', count: 2 },
        { tag: 'async', count: 1 },
        { tag: 'testing', count: 1 },
      ]);
    });
  });

  describe('GET /tags/:tag/posts', () => {
    it('pages the posts carrying the tag, newest first, with links', async () => {
      const first = await http().get('/tags/django/posts?limit=2').expect(200);
      expect(ids(first)).toEqual(['dj', 'd2']);
      expect(first.body).toMatchObject({ page: 1, limit: 2, total: 4 });
      expect(first.body.links).toEqual({
        self: '/tags/django/posts?page=1&limit=2',
        next: '/tags/django/posts?page=2&limit=2',
        prev: null,
      });
      expect(first.body.items[0]).not.toHaveProperty('_id');
      expect(first.body.items[0]).not.toHaveProperty('outbox');

      const second = await http().get('/tags/django/posts?page=2&limit=2').expect(200);
      expect(ids(second)).toEqual(['d3', 'd1']);
      expect(second.body.links).toMatchObject({ next: null, prev: '/tags/django/posts?page=1&limit=2' });
    });

    it('returns an empty page for a tag nobody uses', async () => {
      const res = await http().get('/tags/cobol/posts').expect(200);
      expect(res.body).toMatchObject({ items: [], total: 0, page: 1, limit: 25 });
    });

    it.each([
      ['an upper-case tag', 'Django'],
      ['a tag starting with a dash', '-web'],
      ['a tag with an underscore', 'web_dev'],
      ['a 33-character tag', 'a'.repeat(33)],
    ])('rejects %s with a 400', async (_case, tag) => {
      const res = await http().get(`/tags/${tag}/posts`).expect(400);
      expect(res.body.message).toMatch(/tag must be/);
    });

    it('rejects limit=101 with a 400', async () => {
      const res = await http().get('/tags/django/posts?limit=101').expect(400);
      expect(res.body.message).toMatch(/limit/);
    });
  });

  describe('GET /posts/:id/tags', () => {
    it('returns the tags and where they come from', async () => {
      const res = await http().get('/posts/dj/tags').expect(200);
      expect(res.body).toEqual({ id: 'dj', tags: ['django'], auto_tags: ['django'], manual_tags: [] });
    });

    it('answers 404 for an unknown post', async () => {
      const res = await http().get('/posts/nope/tags').expect(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'post nope not found' });
    });
  });

  describe('PUT /posts/:id/tags', () => {
    it('replaces the manual tags, collapsing duplicates, and stores the union with the auto tags', async () => {
      const res = await http()
        .put('/posts/dj/tags')
        .send({ tags: ['tutorial', 'beginner', 'tutorial'] })
        .expect(200);
      const expected = {
        id: 'dj',
        tags: ['beginner', 'django', 'tutorial'],
        auto_tags: ['django'],
        manual_tags: ['beginner', 'tutorial'],
      };
      expect(res.body).toEqual(expected);
      expect((await http().get('/posts/dj/tags').expect(200)).body).toEqual(expected);

      const again = await http()
        .put('/posts/dj/tags')
        .send({ tags: ['django'] })
        .expect(200);
      expect(again.body).toEqual({ id: 'dj', tags: ['django'], auto_tags: ['django'], manual_tags: ['django'] });
    });

    it('records a post.tagged event in the post outbox with the change', async () => {
      await http()
        .put('/posts/dj/tags')
        .send({ tags: ['tutorial'] })
        .expect(200);
      const outbox = (await storedPost('dj'))?.outbox as DomainEvent[];
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({
        type: 'post.tagged',
        aggregate: 'post:dj',
        payload: { id: 'dj', auto_tags: ['django'], manual_tags: ['tutorial'], tags: ['django', 'tutorial'] },
      });
      expect(outbox[0].id).toEqual(expect.any(String));
      expect((await http().get('/posts/dj').expect(200)).body).not.toHaveProperty('outbox');
    });

    it('makes the new tags visible in the tag lists', async () => {
      await http()
        .put('/posts/none/tags')
        .send({ tags: ['testing', 'web'] })
        .expect(200);
      const counts = (await http().get('/tags').expect(200)).body;
      expect(counts).toEqual(
        expect.arrayContaining([
          { tag: 'web', count: 3 },
          { tag: 'testing', count: 2 },
        ]),
      );
      expect(ids(await http().get('/tags/testing/posts').expect(200))).toEqual(['none', 'd3']);
    });

    it('accepts ten tags', async () => {
      const tags = Array.from({ length: 10 }, (_, i) => `tag-${i}`);
      const res = await http().put('/posts/dj/tags').send({ tags }).expect(200);
      expect(res.body.manual_tags).toEqual(tags);
    });

    it.each([
      ['no tags', { tags: [] }, /tags must hold at least 1 tag/],
      ['eleven tags', { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, /tags must hold at most 10 tags/],
      ['a malformed tag', { tags: ['ok', 'Not OK'] }, /each of tags must be/],
      ['a tag that is not a string', { tags: [42] }, /each of tags must be/],
      ['a string instead of a list', { tags: 'django' }, /tags must be an array/],
      ['a missing list', {}, /tags must be an array/],
      ['an unknown field', { tags: ['ok'], auto_tags: ['x'] }, /auto_tags/],
    ])('rejects %s with a 400 naming the field', async (_case, body, message) => {
      const res = await http().put('/posts/dj/tags').send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message).toMatch(message);
      expect((await storedPost('dj'))?.manual_tags).toEqual([]);
    });

    it('answers 404 for an unknown post and 400 for a malformed id', async () => {
      await http()
        .put('/posts/nope/tags')
        .send({ tags: ['ok'] })
        .expect(404);
      await http()
        .put('/posts/bad%24id/tags')
        .send({ tags: ['ok'] })
        .expect(400);
    });

    it('does not store a union computed from auto tags that changed meanwhile', async () => {
      const repository = app.get(TagsRepository);
      const stale = { id: 'dj', tags: ['old', 'tutorial'], auto_tags: ['old'], manual_tags: ['tutorial'] };
      const event = {
        id: 'e1',
        type: 'post.tagged',
        aggregate: 'post:dj',
        at: 0,
        origin: 'monolith',
        payload: stale,
      } as const;
      expect(await repository.replaceTags(stale, event)).toBeNull();
      expect(await storedPost('dj')).toMatchObject({ tags: ['django'], manual_tags: [] });
      expect((await storedPost('dj'))?.outbox).toBeUndefined();
      expect(await testDb.db.collection('outbox').findOne({ _id: 'e1' as never })).toBeNull();
    });
  });
});
