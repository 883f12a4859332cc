import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DomainEvent } from '@app/contracts';
import { aPost, insertPosts, removeAllPosts } from '../../../test/support/builders';
import { createMonolithApp } from '../../../test/support/monolith-app';
import { openTestDb } from '../../../test/support/store';
import { MaintenanceCounts, PostsMaintenance } from './posts-maintenance.service';
import { PostsRepository } from './posts.repository';

describe('PostsMaintenance', () => {
  let app: INestApplication;
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  let maintenance: PostsMaintenance;
  const posts = () => testDb.db.collection<{ _id: string; outbox?: DomainEvent[]; [key: string]: unknown }>('posts');
  const stored = (id: string) => posts().findOne({ _id: id }, { projection: { _id: 0 } });

  beforeAll(async () => {
    testDb = await openTestDb('maintenance');
    app = await createMonolithApp(testDb.dbName);
    maintenance = app.get(PostsMaintenance);
  });

  beforeEach(async () => {
    await removeAllPosts(testDb.db);
  });

  afterAll(async () => {
    await app?.close();
    await testDb?.close();
  });

  describe('retag', () => {
    it('recomputes stale auto tags, keeps manual tags and records post.tagged only for changed posts', async () => {
      await insertPosts(testDb.db, [
        aPost({ id: 'stale', title: 'Django tips', auto_tags: [], manual_tags: ['tutorial'], tags: ['tutorial'] }),
        aPost({ id: 'fresh', title: 'Flask tips' }),
      ]);

      expect(await maintenance.retag()).toEqual({ postsScanned: 2, postsChanged: 1 });

      const stale = await stored('stale');
      expect(stale).toMatchObject({ auto_tags: ['django'], manual_tags: ['tutorial'], tags: ['django', 'tutorial'] });
      expect(stale?.outbox).toEqual([
        expect.objectContaining({
          type: 'post.tagged',
          aggregate: 'post:stale',
          payload: { id: 'stale', auto_tags: ['django'], manual_tags: ['tutorial'], tags: ['django', 'tutorial'] },
        }),
      ]);
      expect((await stored('fresh'))?.outbox).toBeUndefined();
      const pointer = await testDb.db.collection('outbox').findOne({ _id: stale?.outbox?.[0].id as never });
      expect(pointer).toMatchObject({ collection: 'posts', key: { _id: 'stale' } });
    });

    it('changes nothing the second time', async () => {
      await insertPosts(testDb.db, [aPost({ id: 'stale', title: 'Django tips', auto_tags: [], tags: [] })]);
      await maintenance.retag();
      expect(await maintenance.retag()).toEqual({ postsScanned: 1, postsChanged: 0 });
      expect((await stored('stale'))?.outbox).toHaveLength(1);
    });

    it('gives a post imported without derived fields its tags', async () => {
      await posts().insertOne({
        _id: 'raw',
        id: 'raw',
        title: 'Asyncio and pytest',
        selftext: '',
        ups: 3,
        downs: 1,
        score: 2,
      });
      await maintenance.retag();
      expect(await stored('raw')).toMatchObject({
        auto_tags: ['async', 'testing'],
        manual_tags: [],
        tags: ['async', 'testing'],
      });
    });
  });

  describe('reindex', () => {
    it('recomputes search words and upsanddowns and records post.updated with the public post', async () => {
      await insertPosts(testDb.db, [
        aPost({ id: 'stale', title: 'Pandas DataFrame speed', ups: 20, downs: 5, upsanddowns: 0, title_words: [] }),
        aPost({ id: 'fresh' }),
      ]);

      expect(await maintenance.reindex()).toEqual({ postsScanned: 2, postsChanged: 1 });

      const stale = await stored('stale');
      expect(stale).toMatchObject({ title_words: ['pandas', 'dataframe', 'speed'], upsanddowns: -15 });
      const [event] = stale?.outbox as DomainEvent<'post.updated'>[];
      expect(event).toMatchObject({
        type: 'post.updated',
        aggregate: 'post:stale',
        payload: { id: 'stale', upsanddowns: -15 },
      });
      expect(event.payload).not.toHaveProperty('title_words');
      expect(event.payload).not.toHaveProperty('outbox');
      expect((await stored('fresh'))?.outbox).toBeUndefined();
    });

    it('rebuilds the projections and totals, showing posts written by other means', async () => {
      await insertPosts(testDb.db, [aPost({ id: 'listed', created_utc: 100, title: 'Django tips' })]);
      await posts().insertOne({
        _id: 'raw',
        id: 'raw',
        title: 'Django and pytest',
        selftext: '',
        ups: 80,
        downs: 10,
        score: 70,
        num_comments: 0,
        created_utc: 200,
      });
      await maintenance.reindex();
      const http = () => request(app.getHttpServer());
      const listed = await http().get('/posts').expect(200);
      expect(listed.body.items.map((post: { id: string }) => post.id)).toEqual(['raw', 'listed']);
      expect(listed.body.total).toBe(2);
      const found = await http().get('/search?q=pytest').expect(200);
      expect(found.body).toMatchObject({ total: 1, items: [{ id: 'raw' }] });
      const recommended = await http().get('/recommendations').expect(200);
      expect(recommended.body.items.map((post: { id: string }) => post.id)).toEqual(['raw']);
    });

    it('recreates a dropped index', async () => {
      await insertPosts(testDb.db, [aPost({ id: 'any' })]);
      await testDb.db.collection('post_index').dropIndex('newest_first');
      await maintenance.reindex();
      expect((await testDb.db.collection('post_index').indexes()).map((index) => index.name)).toContain('newest_first');
    });
  });

  describe('batches', () => {
    const stalePosts = (count: number) =>
      Array.from({ length: count }, (_, i) => aPost({ id: `p${i}`, title: 'Django', auto_tags: [], tags: [] }));

    it('reads the collection in batches, reporting the counts after each', async () => {
      await insertPosts(testDb.db, stalePosts(5));
      const reports: MaintenanceCounts[] = [];
      await maintenance.retag({ batchSize: 2, onProgress: async (counts) => void reports.push(counts) });
      expect(reports).toEqual([
        { postsScanned: 2, postsChanged: 2 },
        { postsScanned: 4, postsChanged: 4 },
        { postsScanned: 5, postsChanged: 5 },
      ]);
    });

    it('stops between two batches once aborted', async () => {
      await insertPosts(testDb.db, stalePosts(5));
      const controller = new AbortController();
      const onProgress = async () => controller.abort();
      await expect(maintenance.retag({ batchSize: 2, signal: controller.signal, onProgress })).rejects.toThrow(
        /abort/i,
      );
      expect(await posts().countDocuments({ tags: 'django' })).toBe(2);
    });
  });

  it('does not overwrite tags that changed since they were read', async () => {
    await insertPosts(testDb.db, [aPost({ id: 'moved', title: 'Django', manual_tags: ['web'] })]);
    const seen = { ...(await app.get(PostsRepository).findStored('moved'))!, manual_tags: [] };
    const recomputed = { auto_tags: ['django'], manual_tags: [], tags: ['django'] };
    const event = {
      id: 'e1',
      type: 'post.tagged',
      aggregate: 'post:moved',
      at: 0,
      origin: 'monolith',
      payload: { id: 'moved', ...recomputed },
    } as const;
    expect(await app.get(PostsRepository).replaceRecomputedTags(seen, recomputed, event)).toBe(false);
    expect(await stored('moved')).toMatchObject({ manual_tags: ['web'], tags: ['django', 'web'] });
  });
});
