import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DomainEvent } from '@app/contracts';
import { createMonolithApp } from '../../../test/support/monolith-app';
import { openTestDb } from '../../../test/support/store';

describe('preferences', () => {
  let app: INestApplication;
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  const http = () => request(app.getHttpServer());
  const storedPreferences = (user: string) =>
    testDb.db
      .collection('preferences')
      .find({ _id: user as never })
      .toArray();

  beforeAll(async () => {
    testDb = await openTestDb('preferences');
    app = await createMonolithApp(testDb.dbName);
  });

  afterAll(async () => {
    await app?.close();
    await testDb?.close();
  });

  describe('GET /users/:user/preferences', () => {
    it('gives empty lists to a user who saved none', async () => {
      const res = await http().get('/users/newcomer/preferences').expect(200);
      expect(res.body).toEqual({ user: 'newcomer', tags: [], hiddenTags: [] });
    });

    it('rejects a malformed user with a 400 naming the field', async () => {
      const res = await http().get('/users/no%20spaces/preferences').expect(400);
      expect(res.body.message).toMatch(/user must be 1-64 letters, digits, _ or -/);
      await http()
        .get(`/users/${'u'.repeat(65)}/preferences`)
        .expect(400);
    });
  });

  describe('PUT /users/:user/preferences', () => {
    it('saves the preferences and returns them, duplicates collapsed', async () => {
      const res = await http()
        .put('/users/alice/preferences')
        .send({ tags: ['web', 'django', 'web'], hiddenTags: ['career'] })
        .expect(200);
      expect(res.body).toEqual({ user: 'alice', tags: ['django', 'web'], hiddenTags: ['career'] });
      expect((await http().get('/users/alice/preferences').expect(200)).body).toEqual(res.body);
    });

    it('replaces earlier preferences in the one document of the user, recording each change', async () => {
      await http()
        .put('/users/bob/preferences')
        .send({ tags: ['async'], hiddenTags: [] })
        .expect(200);
      const res = await http()
        .put('/users/bob/preferences')
        .send({ tags: [], hiddenTags: ['gui'] })
        .expect(200);
      expect(res.body).toEqual({ user: 'bob', tags: [], hiddenTags: ['gui'] });

      const documents = await storedPreferences('bob');
      expect(documents).toHaveLength(1);
      const outbox = documents[0].outbox as DomainEvent[];
      expect(outbox.map((event) => event.type)).toEqual(['preferences.updated', 'preferences.updated']);
      expect(outbox[1]).toMatchObject({
        aggregate: 'preferences:bob',
        payload: { user: 'bob', tags: [], hiddenTags: ['gui'] },
      });
      expect(outbox[0].id).not.toEqual(outbox[1].id);
    });

    it('accepts fifty tags in each list', async () => {
      const tags = Array.from({ length: 50 }, (_, i) => `t${String(i).padStart(2, '0')}`);
      const res = await http().put('/users/many/preferences').send({ tags, hiddenTags: tags }).expect(200);
      expect(res.body.tags).toEqual(tags);
    });

    it.each([
      ['a missing hiddenTags', { tags: [] }, /hiddenTags must be an array/],
      ['a missing tags', { hiddenTags: [] }, /tags must be an array/],
      ['tags that are not a list', { tags: 'web', hiddenTags: [] }, /tags must be an array/],
      ['a malformed tag', { tags: ['web'], hiddenTags: ['No Way'] }, /each of hiddenTags must be/],
      [
        '51 tags',
        { tags: Array.from({ length: 51 }, (_, i) => `t${i}`), hiddenTags: [] },
        /tags must hold at most 50 tags/,
      ],
      ['an unknown field', { tags: [], hiddenTags: [], mutedUsers: ['x'] }, /mutedUsers/],
    ])('rejects %s with a 400 naming the field', async (_case, body, message) => {
      const res = await http().put('/users/carol/preferences').send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message).toMatch(message);
      expect(await storedPreferences('carol')).toEqual([]);
    });

    it('rejects a malformed user with a 400', async () => {
      await http().put('/users/bad.name/preferences').send({ tags: [], hiddenTags: [] }).expect(400);
    });
  });
});
