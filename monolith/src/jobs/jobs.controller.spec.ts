import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { eventually } from '@app/platform';
import { aPost, insertPosts } from '../../../test/support/builders';
import { createMonolithApp } from '../../../test/support/monolith-app';
import { openTestDb } from '../../../test/support/store';
import { INTERRUPTED_BY_CRASH, JobView } from './jobs.service';

const SETTLE_TIMEOUT_MS = 60_000;
const POLL_PAUSE_MS = 25;

/** Polls a job until it leaves queued/running; answers the last response. */
async function settle(app: INestApplication, location: string): Promise<request.Response> {
  const res = await eventually(
    async () => request(app.getHttpServer()).get(location).redirects(0),
    (answer) => answer.status !== 200 || !['queued', 'running'].includes(answer.body.status),
    SETTLE_TIMEOUT_MS,
    POLL_PAUSE_MS,
  );
  if (res.status === 200 && ['queued', 'running'].includes(res.body.status))
    throw new Error(`job at ${location} did not settle`);
  return res;
}

describe('jobs', () => {
  let app: INestApplication;
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  const http = () => request(app.getHttpServer());
  const jobs = () => testDb.db.collection<JobView>('jobs');

  beforeAll(async () => {
    testDb = await openTestDb('jobs');
    app = await createMonolithApp(testDb.dbName);
    await insertPosts(testDb.db, [
      aPost({ id: 'stale', title: 'Django and pytest', auto_tags: [], manual_tags: ['tutorial'], tags: ['tutorial'] }),
      aPost({ id: 'fresh', title: 'Flask tips' }),
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await testDb?.close();
  });

  describe('POST /jobs', () => {
    it('accepts a job with a 202 and its Location, queued', async () => {
      const res = await http().post('/jobs').send({ kind: 'reindex' }).expect(202);
      expect(res.headers.location).toBe(`/jobs/${res.body.id}`);
      expect(res.body).toMatchObject({
        id: expect.any(String),
        kind: 'reindex',
        status: 'queued',
        links: { self: res.headers.location },
      });
      await settle(app, res.headers.location);
    });

    it.each([
      ['an unknown kind', { kind: 'explode' }, /kind must be one of: retag, reindex/],
      ['a missing kind', {}, /kind/],
      ['a kind in a list', { kind: ['retag'] }, /kind/],
      ['an operator object', { kind: { $ne: 'x' } }, /kind/],
      ['an unknown field', { kind: 'retag', priority: 1 }, /priority/],
    ])('rejects %s with a 400 naming the field', async (_case, body, message) => {
      const before = await jobs().countDocuments();
      const res = await http().post('/jobs').send(body).expect(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringMatching(message),
      });
      expect(await jobs().countDocuments()).toBe(before);
    });
  });

  describe('a retag job', () => {
    let location: string;
    let done: request.Response;

    beforeAll(async () => {
      location = (await http().post('/jobs').send({ kind: 'retag' }).expect(202)).headers.location;
      done = await settle(app, location);
    });

    it('ends with a 303 See Other to its result', () => {
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe(`${location}/result`);
      expect(done.body).toMatchObject({ status: 'done', links: { self: location, result: `${location}/result` } });
    });

    it('answers its result: what it scanned and changed', async () => {
      const res = await http().get(`${location}/result`).expect(200);
      expect(res.body).toEqual({
        id: location.split('/').pop(),
        kind: 'retag',
        postsScanned: 2,
        postsChanged: 1,
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
        links: { job: location },
      });
    });

    it('recomputed the stale auto tags of a post, keeping its manual tags', async () => {
      const res = await http().get('/posts/stale/tags').expect(200);
      expect(res.body).toMatchObject({
        auto_tags: ['django', 'testing'],
        manual_tags: ['tutorial'],
        tags: ['django', 'testing', 'tutorial'],
      });
    });
  });

  describe('a reindex job', () => {
    it('recomputes the search fields, so the post is found again', async () => {
      await insertPosts(testDb.db, [
        aPost({ id: 'unindexed', title: 'Numpy arrays', title_words: [], upsanddowns: 0 }),
      ]);
      expect((await http().get('/search?q=numpy').expect(200)).body.total).toBe(0);
      const location = (await http().post('/jobs').send({ kind: 'reindex' }).expect(202)).headers.location;
      expect((await settle(app, location)).status).toBe(303);
      const search = await http().get('/search?q=numpy').expect(200);
      expect(search.body.items.map((hit: { id: string }) => hit.id)).toEqual(['unindexed']);
    });
  });

  describe('GET /jobs/:id and /jobs/:id/result', () => {
    const queued = {
      kind: 'retag',
      status: 'queued',
      createdAt: '2020-01-01T00:00:00.000Z',
      progress: { postsScanned: 0, postsChanged: 0 },
    };

    it('answers 200 with the job while it is not done, and no result yet', async () => {
      await jobs().insertOne({ ...queued, _id: 'waiting', id: 'waiting' } as never);
      const res = await http().get('/jobs/waiting').expect(200);
      expect(res.body).toEqual({ id: 'waiting', ...queued, links: { self: '/jobs/waiting' } });
      const result = await http().get('/jobs/waiting/result').expect(404);
      expect(result.body.message).toBe('job waiting has no result: it is queued');
    });

    it('answers 404 for an unknown job and its result', async () => {
      const res = await http().get('/jobs/nope').expect(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'job nope not found' });
      await http().get('/jobs/nope/result').expect(404);
    });

    it('answers 400 for a malformed id', async () => {
      const res = await http().get('/jobs/bad$id').expect(400);
      expect(res.body.message).toMatch(/id/);
    });
  });

  describe('after a crash', () => {
    it('marks a job left running as failed with the reason, and runs a job left queued', async () => {
      const base = {
        kind: 'reindex',
        createdAt: '2020-01-01T00:00:00.000Z',
        progress: { postsScanned: 0, postsChanged: 0 },
      };
      await jobs().insertMany([
        { ...base, _id: 'orphan', id: 'orphan', status: 'running', startedAt: '2020-01-01T00:00:01.000Z' },
        { ...base, _id: 'pending', id: 'pending', status: 'queued' },
      ] as never[]);

      const restarted = await createMonolithApp(testDb.dbName);
      try {
        const orphan = await request(restarted.getHttpServer()).get('/jobs/orphan').expect(200);
        expect(orphan.body).toMatchObject({
          status: 'failed',
          error: INTERRUPTED_BY_CRASH,
          finishedAt: expect.any(String),
        });
        expect(orphan.body.links).not.toHaveProperty('result');
        expect((await settle(restarted, '/jobs/pending')).status).toBe(303);
      } finally {
        await restarted.close();
      }
    });
  });

  describe('on shutdown', () => {
    it('never leaves a job running', async () => {
      const other = await openTestDb('jobs_shutdown');
      let stopping: INestApplication | undefined = await createMonolithApp(other.dbName);
      try {
        await insertPosts(
          other.db,
          Array.from({ length: 50 }, () => aPost({ auto_tags: [], tags: [] })),
        );
        const { id } = (await request(stopping.getHttpServer()).post('/jobs').send({ kind: 'retag' }).expect(202)).body;
        await stopping.close();
        stopping = undefined;
        const job = await other.db.collection<JobView>('jobs').findOne({ id });
        expect(['queued', 'done', 'failed']).toContain(job?.status);
        if (job?.status === 'failed') expect(job.error).toMatch(/^stopped/);
      } finally {
        await stopping?.close();
        await other.close();
      }
    });
  });
});
