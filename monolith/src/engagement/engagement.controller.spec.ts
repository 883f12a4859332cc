import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DomainEvent } from '@app/contracts';
import { aPost, insertPosts } from '../../../test/support/builders';
import { createMonolithApp } from '../../../test/support/monolith-app';
import { openTestDb } from '../../../test/support/store';

describe('engagement', () => {
  let app: INestApplication;
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  const http = () => request(app.getHttpServer());
  const stats = async (id: string) => (await http().get(`/posts/${id}/stats`).expect(200)).body;
  const engagementsOf = (post_id: string) => testDb.db.collection('engagements').find({ post_id }).toArray();

  beforeAll(async () => {
    testDb = await openTestDb('engagement');
    app = await createMonolithApp(testDb.dbName);
    await insertPosts(testDb.db, [
      aPost({ id: 'liked' }),
      aPost({ id: 'mixed' }),
      aPost({ id: 'quiet' }),
      aPost({ id: 'busy' }),
      aPost({ id: 'bad' }),
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await testDb?.close();
  });

  describe.each([
    ['likes', 'like'],
    ['shares', 'share'],
    ['hide', 'hide'],
  ])('POST /posts/:id/%s', (path, kind) => {
    it(`accepts a ${kind} with a 202 pointing at the stats`, async () => {
      const res = await http().post(`/posts/liked/${path}`).send({ user: 'alice' }).expect(202);
      expect(res.body).toEqual({
        status: 'accepted',
        post_id: 'liked',
        user: 'alice',
        kind,
        links: { stats: '/posts/liked/stats' },
      });
    });

    it('answers 404 for an unknown post and records nothing', async () => {
      const res = await http().post(`/posts/nope/${path}`).send({ user: 'alice' }).expect(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'post nope not found' });
      expect(await engagementsOf('nope')).toEqual([]);
    });
  });

  describe('idempotence per (post, user, kind)', () => {
    it('counts the same user liking twice once, with a single event', async () => {
      await http().post('/posts/mixed/likes').send({ user: 'bob' }).expect(202);
      await http().post('/posts/mixed/likes').send({ user: 'bob' }).expect(202);
      expect(await stats('mixed')).toEqual({ likes: 1, shares: 0, hides: 0 });
      const stored = await engagementsOf('mixed');
      expect(stored).toHaveLength(1);
      expect(stored[0].outbox).toHaveLength(1);
      // The second like's announcement was withdrawn: the relay is pointed at one event.
      const announced = await testDb.db.collection('outbox').find({ 'key._id': 'mixed:bob:like' }).toArray();
      expect(announced.map((entry) => entry._id)).toEqual([stored[0].outbox[0].id]);
    });

    it('counts a like and a share by the same user both', async () => {
      await http().post('/posts/mixed/shares').send({ user: 'bob' }).expect(202);
      expect(await stats('mixed')).toEqual({ likes: 1, shares: 1, hides: 0 });
    });

    it('counts likes of different users separately', async () => {
      await http().post('/posts/mixed/likes').send({ user: 'carol' }).expect(202);
      await http().post('/posts/mixed/hide').send({ user: 'dave' }).expect(202);
      expect(await stats('mixed')).toEqual({ likes: 2, shares: 1, hides: 1 });
    });

    it('records the engagement with its engagement.recorded event in the same document', async () => {
      const [stored] = await testDb.db.collection('engagements').find({ post_id: 'mixed', user: 'dave' }).toArray();
      expect(stored).toMatchObject({ post_id: 'mixed', user: 'dave', kind: 'hide', at: expect.any(Number) });
      const [event] = stored.outbox as DomainEvent[];
      expect(event).toMatchObject({
        type: 'engagement.recorded',
        aggregate: 'post:mixed',
        origin: 'monolith',
        payload: { post_id: 'mixed', user: 'dave', kind: 'hide' },
      });
      expect(event.id).toEqual(expect.any(String));
      const pointer = await testDb.db.collection('outbox').findOne({ _id: event.id as never });
      expect(pointer).toMatchObject({
        collection: 'engagements',
        key: { _id: stored._id },
      });
    });
  });

  describe('GET /posts/:id/stats', () => {
    it('answers zeros for a post nobody engaged with', async () => {
      expect(await stats('quiet')).toEqual({ likes: 0, shares: 0, hides: 0 });
    });

    it('answers 404 for an unknown post and 400 for a malformed id', async () => {
      await http().get('/posts/nope/stats').expect(404);
      const res = await http().get('/posts/bad%24id/stats').expect(400);
      expect(res.body.message).toMatch(/id/);
    });

    it('stays exact under 50 concurrent likes with duplicates and concurrent shares', async () => {
      const likers = Array.from({ length: 50 }, (_, i) => `user${i % 25}`);
      const sharers = Array.from({ length: 20 }, (_, i) => `user${i % 10}`);
      const responses = await Promise.all([
        ...likers.map((user) => http().post('/posts/busy/likes').send({ user })),
        ...sharers.map((user) => http().post('/posts/busy/shares').send({ user })),
      ]);
      expect(responses.map((res) => res.status)).toEqual(responses.map(() => 202));
      expect(await stats('busy')).toEqual({ likes: 25, shares: 10, hides: 0 });
      const events = (await engagementsOf('busy')).flatMap((stored) => stored.outbox as DomainEvent[]);
      expect(new Set(events.map((event) => event.id)).size).toBe(35);
    });
  });

  describe('invalid input', () => {
    it.each([
      ['a missing user', {}],
      ['an empty user', { user: '' }],
      ['a user with a space', { user: 'bad name' }],
      ['a 65-character user', { user: 'u'.repeat(65) }],
      ['a non-ASCII user', { user: 'zoë' }],
      ['a number', { user: 42 }],
      ['an operator object', { user: { $ne: null } }],
      ['a list of users', { user: ['alice'] }],
    ])('rejects %s with a 400 naming user', async (_case, body) => {
      const res = await http().post('/posts/bad/likes').send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/user/) });
    });

    it('rejects an unknown body field with a 400 naming it', async () => {
      const res = await http().post('/posts/bad/shares').send({ user: 'alice', kind: 'like' }).expect(400);
      expect(res.body.message).toMatch(/kind/);
    });

    it('records nothing for rejected requests', async () => {
      expect(await engagementsOf('bad')).toEqual([]);
    });
  });
});
