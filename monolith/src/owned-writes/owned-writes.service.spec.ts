import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { EVENTS, domainEvent } from '@app/contracts';
import { JetStreamEventLog } from '@app/eventlog';
import { TEST_NATS_URL, testEventStream } from '../../../test/support/event-stream';
import { eventually } from '@app/platform';
import { aPost, insertPosts } from '../../../test/support/builders';
import { createMonolithApp } from '../../../test/support/monolith-app';
import { openTestDb } from '../../../test/support/store';

describe('writes a service owned, applied back to the monolith', () => {
  const stream = testEventStream();
  let app: INestApplication;
  let log: JetStreamEventLog;
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    testDb = await openTestDb('owned_writes');
    app = await createMonolithApp(testDb.dbName, { EVENT_STREAM: stream });
    log = await JetStreamEventLog.open({ url: TEST_NATS_URL, stream });
    await insertPosts(testDb.db, [aPost({ id: 'owned', manual_tags: [] }), aPost({ id: 'other' })]);
  });

  afterAll(async () => {
    await log?.close();
    await app?.close();
    await testDb?.close();
  });

  it('counts likes and hides the engagement service took, each once', async () => {
    const like = domainEvent(
      EVENTS.engagementRecorded,
      'post:owned',
      { post_id: 'owned', user: 'ann', kind: 'like' },
      'engagement',
    );
    const hide = domainEvent(
      EVENTS.engagementRecorded,
      'post:owned',
      { post_id: 'owned', user: 'bob', kind: 'hide' },
      'engagement',
    );
    const again = { ...like, id: 'a-second-delivery-of-the-same-like' };
    await log.append([like, hide, again]);
    const stats = await eventually(
      async () => (await http().get('/posts/owned/stats').expect(200)).body,
      (body) => body.likes === 1 && body.hides === 1,
    );
    expect(stats).toEqual({ likes: 1, shares: 0, hides: 1 });
  });

  it('stores tags and preferences the tagging service saved', async () => {
    const tags = { id: 'owned', auto_tags: [], manual_tags: ['flipped'], tags: ['flipped'] };
    const preferences = { user: 'cid', tags: ['flipped'], hiddenTags: [] };
    await log.append([
      domainEvent(EVENTS.postTagged, 'post:owned', tags, 'tagging'),
      domainEvent(EVENTS.preferencesUpdated, 'user:cid', preferences, 'tagging'),
    ]);
    const tagged = await eventually(
      async () => (await http().get('/tags/flipped/posts').expect(200)).body,
      (body) => body.total === 1,
    );
    expect(tagged.items.map((post: { id: string }) => post.id)).toEqual(['owned']);
    expect((await http().get('/users/cid/preferences').expect(200)).body).toEqual(preferences);
  });

  it("ignores the monolith's own events", async () => {
    await log.append([
      domainEvent(EVENTS.engagementRecorded, 'post:other', { post_id: 'other', user: 'dee', kind: 'like' }),
      domainEvent(
        EVENTS.engagementRecorded,
        'post:other',
        { post_id: 'other', user: 'eve', kind: 'share' },
        'engagement',
      ),
    ]);
    const stats = await eventually(
      async () => (await http().get('/posts/other/stats').expect(200)).body,
      (body) => body.shares === 1,
    );
    expect(stats).toEqual({ likes: 0, shares: 1, hides: 0 });
  });
});
