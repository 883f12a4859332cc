import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { aPost, insertPosts } from '../../../test/support/builders';
import { createMonolithApp } from '../../../test/support/monolith-app';
import { openTestDb } from '../../../test/support/store';

const ids = (res: request.Response) => res.body.items.map((item: { id: string }) => item.id);

/** A post of the given score (score = ups - downs, so upsanddowns = -score) carrying exactly `tags`. */
const scored = (id: string, score: number, num_comments: number, tags: string[]) =>
  aPost({ id, ups: score + 10, downs: 10, num_comments, tags, auto_tags: tags, manual_tags: [] });

describe('recommendations', () => {
  let app: INestApplication;
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  const get = (path: string) => request(app.getHttpServer()).get(path);

  beforeAll(async () => {
    testDb = await openTestDb('recommendations');
    app = await createMonolithApp(testDb.dbName);
    // Inserted out of order so that only the sort can produce the expected lists.
    await insertPosts(testDb.db, [
      scored('r4', 80, 3, ['django', 'testing']),
      scored('r5', 51, 0, []),
      scored('r6', 50, 99, ['django']),
      scored('r1', 100, 5, ['web']),
      scored('r3', 80, 3, ['flask']),
      scored('r7', 10, 99, ['django']),
      scored('r2', 80, 10, ['django']),
    ]);
    const engage = (path: string, user: string) => request(app.getHttpServer()).post(path).send({ user }).expect(202);
    await engage('/posts/r1/hide', 'carol');
    await engage('/posts/r2/likes', 'carol');
    await engage('/posts/r3/hide', 'dave');
    await engage('/posts/r1/hide', 'erin');
    await engage('/posts/r2/hide', 'erin');
  });

  afterAll(async () => {
    await app?.close();
    await testDb?.close();
  });

  describe('GET /recommendations', () => {
    it('lists exactly the posts scoring over 50: upsanddowns asc, num_comments desc, id asc', async () => {
      const res = await get('/recommendations').expect(200);
      expect(ids(res)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    });

    it('returns the recommendation fields only', async () => {
      const res = await get('/recommendations?limit=1').expect(200);
      expect(res.body).toEqual({
        items: [
          { id: 'r1', title: expect.any(String), score: 100, ups: 110, downs: 10, num_comments: 5, upsanddowns: -100 },
        ],
      });
    });

    it('respects the limit', async () => {
      expect(ids(await get('/recommendations?limit=3').expect(200))).toEqual(['r1', 'r2', 'r3']);
    });

    it.each([['limit=0'], ['limit=101'], ['limit=two'], ['limit[$gt]=1'], ['page=2']])(
      'rejects %s with a 400 naming the field',
      async (query) => {
        const res = await get(`/recommendations?${query}`).expect(400);
        expect(res.body.message).toMatch(new RegExp(query.split(/[=[]/)[0]));
      },
    );
  });

  describe('GET /users/:user/recommendations', () => {
    const putPreferences = (user: string, tags: string[], hiddenTags: string[]) =>
      request(app.getHttpServer()).put(`/users/${user}/preferences`).send({ tags, hiddenTags }).expect(200);

    beforeAll(async () => {
      await putPreferences('carol', ['django'], ['flask']);
      await putPreferences('frank', ['django'], ['django']);
      await putPreferences('gina', ['testing'], []);
    });

    it('gives a user with no hides and no preferences the common list', async () => {
      expect(ids(await get('/users/nobody/recommendations').expect(200))).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    });

    it('drops posts the user hid, and only those', async () => {
      expect(ids(await get('/users/dave/recommendations').expect(200))).toEqual(['r1', 'r2', 'r4', 'r5']);
    });

    it('fills the limit past the hidden posts', async () => {
      expect(ids(await get('/users/erin/recommendations?limit=2').expect(200))).toEqual(['r3', 'r4']);
    });

    it('drops posts with a hidden tag and ranks preferred tags first, keeping the base order in each group', async () => {
      const res = await get('/users/carol/recommendations').expect(200);
      expect(ids(res)).toEqual(['r2', 'r4', 'r5']);
      expect(res.body.items[0]).not.toHaveProperty('tags');
    });

    it('respects the limit after personalising', async () => {
      expect(ids(await get('/users/carol/recommendations?limit=1').expect(200))).toEqual(['r2']);
      expect(ids(await get('/users/carol/recommendations?limit=3').expect(200))).toEqual(['r2', 'r4', 'r5']);
    });

    it('brings a preferred post from far down the list to the top', async () => {
      expect(ids(await get('/users/gina/recommendations?limit=1').expect(200))).toEqual(['r4']);
      expect(ids(await get('/users/gina/recommendations?limit=3').expect(200))).toEqual(['r4', 'r1', 'r2']);
    });

    it('lets a hidden tag win over the same preferred tag', async () => {
      expect(ids(await get('/users/frank/recommendations').expect(200))).toEqual(['r1', 'r3', 'r5']);
    });

    it.each([
      ['a malformed user', '/users/bad$name/recommendations', /user/],
      ['limit=0', '/users/carol/recommendations?limit=0', /limit/],
      ['limit=101', '/users/carol/recommendations?limit=101', /limit/],
    ])('rejects %s with a 400 naming the field', async (_case, path, message) => {
      const res = await get(path).expect(400);
      expect(res.body.message).toMatch(message);
    });
  });
});
