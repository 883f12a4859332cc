import { INestApplication } from '@nestjs/common';
import { DomainEvent, PATTERNS } from '@app/contracts';
import { ServiceClient, createServiceClient } from '@app/transport';
import { aPost } from '../../../test/support/builders';
import { EventStream, engagementRecorded, postCreated, postUpdated } from '../../../test/support/events';
import { clientEnv, startService, transportEnv } from '../../../test/support/services';
import { openTestDb } from '../../../test/support/store';
import { EngagementConfig } from './engagement.config';
import { EngagementModule } from './engagement.module';

describe('engagement service', () => {
  let env: Record<string, string>;
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  let app: INestApplication | undefined;
  let client: ServiceClient;
  let stream: EventStream;
  const posts = [aPost({ id: 'p1' }), aPost({ id: 'p2' }), aPost({ id: 'quiet' })];

  const start = () => startService('engagement', EngagementModule, EngagementConfig, env, testDb.dbName);
  const send = <T>(pattern: string, data: unknown) => client.send<T>(pattern, data);
  const apply = (delivery: ReturnType<EventStream['deliver']>) => send(PATTERNS.engagement.applyEvents, delivery);
  const record = (post_id: string, user: string, kind: string) =>
    send(PATTERNS.engagement.record, { post_id, user, kind });
  const stats = (id: string) => send(PATTERNS.engagement.stats, { id });
  const storedEngagements = (post_id: string) => testDb.db.collection('engagements').find({ post_id }).toArray();
  const rejection = (status: number, message: RegExp | string) => ({
    status,
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  });

  // Each case gets a service of its own, on its own database, that knows the posts above and nothing else.
  beforeEach(async () => {
    env = await transportEnv('tcp');
    testDb = await openTestDb('engagement_service');
    app = await start();
    client = createServiceClient('engagement', clientEnv(env));
    stream = new EventStream();
    await apply(stream.deliver(...posts.map(postCreated)));
  });

  /** The engagements of p1 that several cases read back: two likes, a share and a hide. */
  async function engageWithP1(): Promise<void> {
    await record('p1', 'alice', 'like');
    await record('p1', 'alice', 'share');
    await record('p1', 'bob', 'like');
    await record('p1', 'carol', 'hide');
  }

  afterEach(async () => {
    await client?.close();
    await app?.close();
    await testDb?.close();
  });

  describe(PATTERNS.engagement.record, () => {
    it('accepts a like, share or hide with the body the monolith answers', async () => {
      expect(await record('p1', 'alice', 'like')).toEqual({
        status: 'accepted',
        post_id: 'p1',
        user: 'alice',
        kind: 'like',
        links: { stats: '/posts/p1/stats' },
      });
      await record('p1', 'alice', 'share');
      await record('p1', 'bob', 'like');
      await record('p1', 'carol', 'hide');
      expect(await stats('p1')).toEqual({ likes: 2, shares: 1, hides: 1 });
    });

    it('is idempotent per (post, user, kind): a repeat is accepted and changes nothing', async () => {
      expect(await record('p2', 'dave', 'like')).toMatchObject({ status: 'accepted' });
      expect(await record('p2', 'dave', 'like')).toMatchObject({ status: 'accepted' });
      expect(await stats('p2')).toEqual({ likes: 1, shares: 0, hides: 0 });
      expect(await storedEngagements('p2')).toHaveLength(1);
    });

    it('records an engagement.recorded event of its own with the engagement, and points the relay at it', async () => {
      await record('p2', 'erin', 'share');
      const [stored] = (await storedEngagements('p2')).filter((engagement) => engagement.user === 'erin');
      expect(stored.outbox).toEqual([
        expect.objectContaining({
          type: 'engagement.recorded',
          aggregate: 'post:p2',
          origin: 'engagement',
          payload: { post_id: 'p2', user: 'erin', kind: 'share' },
        }),
      ]);
      const event = stored.outbox[0] as DomainEvent;
      expect(await testDb.db.collection('outbox').findOne({ _id: event.id as never })).toMatchObject({
        collection: 'engagements',
        key: { _id: stored._id },
      });
    });

    it('answers 404 for a post it never heard of', async () => {
      await expect(record('nope', 'alice', 'like')).rejects.toMatchObject(rejection(404, 'post nope not found'));
    });

    it.each([
      [
        'a malformed user',
        { post_id: 'p1', user: 'bad user', kind: 'like' },
        'user must be 1-64 letters, digits, _ or -',
      ],
      ['a missing user', { post_id: 'p1', kind: 'like' }, 'user must be 1-64 letters, digits, _ or -'],
      [
        'a malformed post id, worded as the path names it',
        { post_id: 'bad$id', user: 'alice', kind: 'like' },
        /^id must be 1-32 letters, digits or _$/,
      ],
      ['an unknown kind', { post_id: 'p1', user: 'alice', kind: 'love' }, 'kind must be one of like, share, hide'],
      [
        'an unknown field',
        { post_id: 'p1', user: 'alice', kind: 'like', weight: 2 },
        'property weight should not exist',
      ],
    ])('rejects %s with a 400 naming the field', async (_case, data, message) => {
      await expect(send(PATTERNS.engagement.record, data)).rejects.toMatchObject(rejection(400, message));
    });
  });

  describe(PATTERNS.engagement.stats, () => {
    it('counts zero for a post nobody engaged with', async () => {
      expect(await stats('quiet')).toEqual({ likes: 0, shares: 0, hides: 0 });
    });

    it('answers 404 for an unknown post and 400 for a malformed id', async () => {
      await expect(stats('nope')).rejects.toMatchObject(rejection(404, 'post nope not found'));
      await expect(stats('bad$id')).rejects.toMatchObject(rejection(400, 'id must be 1-32 letters, digits or _'));
    });
  });

  describe(PATTERNS.engagement.applyEvents, () => {
    it('counts engagements recorded elsewhere once: the same delivery again changes nothing', async () => {
      const delivery = stream.deliver(
        engagementRecorded('quiet', 'alice', 'like'),
        engagementRecorded('quiet', 'bob', 'hide'),
      );
      expect(await apply(delivery)).toEqual({ applied: 2, skipped: 0 });
      expect(await apply(delivery)).toEqual({ applied: 0, skipped: 2 });
      expect(await stats('quiet')).toEqual({ likes: 1, shares: 0, hides: 1 });
    });

    it('treats its own engagement coming back through the stream as already recorded', async () => {
      await engageWithP1();
      const [stored] = (await storedEngagements('p1')).filter((engagement) => engagement.user === 'bob');
      expect(await apply(stream.deliver(stored.outbox[0] as DomainEvent))).toEqual({ applied: 0, skipped: 1 });
      expect(await stats('p1')).toEqual({ likes: 2, shares: 1, hides: 1 });
    });

    it('learns of new posts from the stream, and skips an older event of a post after a newer one', async () => {
      const newer = aPost({ id: 'p3' });
      const older = stream.deliver(postCreated(newer)).events[0];
      expect(await apply(stream.deliver(postUpdated(newer)))).toEqual({ applied: 1, skipped: 0 });
      expect(await apply({ events: [older] })).toEqual({ applied: 0, skipped: 1 });
      expect(await record('p3', 'alice', 'like')).toMatchObject({ status: 'accepted' });
    });
  });

  describe('restart', () => {
    it('answers the same from its own store after a restart', async () => {
      await engageWithP1();
      await record('p2', 'dave', 'like');
      const before = [await stats('p1'), await stats('p2'), await stats('quiet')];
      await app?.close();
      app = await start();
      expect([await stats('p1'), await stats('p2'), await stats('quiet')]).toEqual(before);
    });
  });

  describe(PATTERNS.engagement.reset, () => {
    it('forgets every post and engagement; a replay, own events included, brings them back', async () => {
      await engageWithP1();
      const own = (await storedEngagements('p1')).map((engagement) => engagement.outbox[0] as DomainEvent);
      await send(PATTERNS.engagement.reset, {});
      await expect(stats('p1')).rejects.toMatchObject({ status: 404 });
      expect(await apply(stream.deliver(postCreated(posts[0]), ...own))).toEqual({ applied: 5, skipped: 0 });
      expect(await stats('p1')).toEqual({ likes: 2, shares: 1, hides: 1 });
    });
  });
});
