import { INestApplication } from '@nestjs/common';
import { DomainEvent, PATTERNS } from '@app/contracts';
import { ServiceClient, createServiceClient } from '@app/transport';
import { aPost } from '../../../test/support/builders';
import {
  EventStream,
  engagementRecorded,
  postCreated,
  postTagged,
  postUpdated,
  preferencesUpdated,
  publicPost,
} from '../../../test/support/events';
import { clientEnv, startService, transportEnv } from '../../../test/support/services';
import { openTestDb } from '../../../test/support/store';
import { TaggingConfig } from './tagging.config';
import { TaggingModule } from './tagging.module';

type Page = { items: { id: string }[]; page: number; limit: number; total: number; links: object };

/** A post whose automatic tags are exactly `tags`. */
const autoTagged = (id: string, created_utc: number, tags: string[]) =>
  aPost({ id, created_utc, tags, auto_tags: tags, manual_tags: [] });

describe('tagging service', () => {
  let env: Record<string, string>;
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  let app: INestApplication | undefined;
  let client: ServiceClient;
  let stream: EventStream;
  const posts = [
    autoTagged('d1', 100, ['django', 'web']),
    autoTagged('d2', 300, ['django']),
    autoTagged('d3', 200, ['django', 'testing']),
    autoTagged('w1', 400, ['web']),
    autoTagged('a1', 500, ['async']),
    autoTagged('none', 600, []),
    aPost({ id: 'dj', title: 'Django tips', created_utc: 700, manual_tags: [] }),
  ];

  const start = () => startService('tagging', TaggingModule, TaggingConfig, env, testDb.dbName);
  const send = <T>(pattern: string, data: unknown) => client.send<T>(pattern, data);
  const apply = (delivery: ReturnType<EventStream['deliver']>) => send(PATTERNS.tagging.applyEvents, delivery);
  const page = (data: object) => send<Page>(PATTERNS.tagging.postsByTag, data);
  const ids = (result: Page) => result.items.map((post) => post.id);
  const postTags = (id: string) => send(PATTERNS.tagging.getPostTags, { id });
  const stored = (collection: string, key: object) => testDb.db.collection(collection).findOne(key);
  const rejection = (status: number, message: RegExp | string) => ({
    status,
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  });

  // Each case gets a service of its own, on its own database, that knows the posts above and nothing else.
  beforeEach(async () => {
    env = await transportEnv('tcp');
    testDb = await openTestDb('tagging_service');
    app = await start();
    client = createServiceClient('tagging', clientEnv(env));
    stream = new EventStream();
    await apply(stream.deliver(...posts.map(postCreated)));
  });

  afterEach(async () => {
    await client?.close();
    await app?.close();
    await testDb?.close();
  });

  describe(PATTERNS.tagging.countTags, () => {
    it('counts the posts per tag, most used first, ties by tag', async () => {
      expect(await send(PATTERNS.tagging.countTags, {})).toEqual([
        { tag: 'django', count: 4 },
        { tag: 'web', count: 2 },
        { tag: 'async', count: 1 },
        { tag: 'testing', count: 1 },
      ]);
    });
  });

  describe(PATTERNS.tagging.postsByTag, () => {
    it('pages the whole public posts carrying the tag, newest first, with links', async () => {
      const first = await page({ tag: 'django', limit: '2' });
      expect(first).toEqual({
        items: [publicPost(posts[6]), publicPost(posts[1])],
        page: 1,
        limit: 2,
        total: 4,
        links: { self: '/tags/django/posts?page=1&limit=2', next: '/tags/django/posts?page=2&limit=2', prev: null },
      });

      const last = await page({ tag: 'django', page: '2', limit: '2' });
      expect(ids(last)).toEqual(['d3', 'd1']);
      expect(last.links).toEqual({
        self: '/tags/django/posts?page=2&limit=2',
        next: null,
        prev: '/tags/django/posts?page=1&limit=2',
      });
    });

    it('answers an empty page past the end, pointing back to the last page', async () => {
      const past = await page({ tag: 'django', page: '5', limit: '2' });
      expect(past).toMatchObject({ items: [], total: 4, page: 5 });
      expect(past.links).toMatchObject({ next: null, prev: '/tags/django/posts?page=2&limit=2' });
    });

    it('returns an empty page for a tag nobody uses', async () => {
      expect(await page({ tag: 'cobol' })).toMatchObject({ items: [], total: 0, page: 1, limit: 25 });
    });

    it.each([
      [{ tag: 'Django' }, /tag must be 1-32 lower-case letters/],
      [{ tag: '-web' }, /tag must be/],
      [{ tag: 'a'.repeat(33) }, /tag must be/],
      [{}, /tag must be/],
      [{ tag: 'django', limit: '101' }, /limit must not be greater than 100/],
      [{ tag: 'django', page: '0' }, /page must not be less than 1/],
      [{ tag: 'django', sort: 'new' }, /property sort should not exist/],
    ])('rejects %j with a 400 naming the field', async (data, message) => {
      await expect(page(data)).rejects.toMatchObject(rejection(400, message));
    });
  });

  describe(PATTERNS.tagging.getPostTags, () => {
    it('returns the tags and where they come from', async () => {
      expect(await postTags('dj')).toEqual({ id: 'dj', tags: ['django'], auto_tags: ['django'], manual_tags: [] });
    });

    it('answers 404 for an unknown post and 400 for a malformed id', async () => {
      await expect(postTags('nope')).rejects.toMatchObject(rejection(404, 'post nope not found'));
      await expect(postTags('bad$id')).rejects.toMatchObject(rejection(400, 'id must be 1-32 letters, digits or _'));
    });
  });

  describe(PATTERNS.tagging.replacePostTags, () => {
    const replace = (id: string, tags: unknown) => send(PATTERNS.tagging.replacePostTags, { id, tags });

    it('replaces the manual tags, collapsing duplicates, and stores the union with the auto tags', async () => {
      const expected = {
        id: 'dj',
        tags: ['beginner', 'django', 'tutorial'],
        auto_tags: ['django'],
        manual_tags: ['beginner', 'tutorial'],
      };
      expect(await replace('dj', ['tutorial', 'beginner', 'tutorial'])).toEqual(expected);
      expect(await postTags('dj')).toEqual(expected);
      expect(ids(await page({ tag: 'tutorial' }))).toEqual(['dj']);
    });

    it('records a post.tagged event of its own in the post outbox, and points the relay at it', async () => {
      await replace('w1', ['gui']);
      const document = await stored('posts', { id: 'w1' });
      const event = (document?.outbox as DomainEvent[]).at(-1) as DomainEvent;
      expect(event).toMatchObject({
        type: 'post.tagged',
        aggregate: 'post:w1',
        origin: 'tagging',
        payload: { id: 'w1', auto_tags: ['web'], manual_tags: ['gui'], tags: ['gui', 'web'] },
      });
      expect(await stored('outbox', { _id: event.id as never })).toMatchObject({
        collection: 'posts',
        key: { _id: 'w1' },
      });
      expect((await page({ tag: 'gui' })).items[0]).not.toHaveProperty('outbox');
    });

    it('treats its own event coming back through the stream as already applied', async () => {
      await replace('d2', ['first']);
      const [first] = ((await stored('posts', { id: 'd2' }))?.outbox as DomainEvent[]).slice(-1);
      await replace('d2', ['second']);
      expect(await apply(stream.deliver(first))).toEqual({ applied: 0, skipped: 1 });
      expect(await postTags('d2')).toMatchObject({ manual_tags: ['second'] });
    });

    it.each([
      ['no tags', [], /tags must hold at least 1 tag/],
      ['eleven tags', Array.from({ length: 11 }, (_, i) => `t${i}`), /tags must hold at most 10 tags/],
      ['a malformed tag', ['ok', 'Not OK'], /each of tags must be/],
      ['a tag that is not a string', [42], /each of tags must be/],
      ['a string instead of a list', 'django', /tags must be an array/],
      ['a missing list', undefined, /tags must be an array/],
    ])('rejects %s with a 400 naming the field', async (_case, tags, message) => {
      await expect(replace('d1', tags)).rejects.toMatchObject(rejection(400, message));
      expect(await postTags('d1')).toMatchObject({ manual_tags: [] });
    });

    it('rejects an unknown field, answers 404 for an unknown post and 400 for a malformed id', async () => {
      await expect(
        send(PATTERNS.tagging.replacePostTags, { id: 'd1', tags: ['ok'], auto_tags: ['x'] }),
      ).rejects.toMatchObject(rejection(400, /property auto_tags should not exist/));
      await expect(replace('nope', ['ok'])).rejects.toMatchObject(rejection(404, 'post nope not found'));
      await expect(replace('bad$id', ['ok'])).rejects.toMatchObject(rejection(400, /id must be/));
    });
  });

  describe('preferences', () => {
    const get = (user: string) => send(PATTERNS.tagging.getPreferences, { user });
    const save = (data: object) => send(PATTERNS.tagging.replacePreferences, data);

    it('gives empty lists to a user who saved none', async () => {
      expect(await get('newcomer')).toEqual({ user: 'newcomer', tags: [], hiddenTags: [] });
    });

    it('saves the preferences and returns them, duplicates collapsed, with an event of its own', async () => {
      const saved = await save({ user: 'alice', tags: ['web', 'django', 'web'], hiddenTags: ['career'] });
      expect(saved).toEqual({ user: 'alice', tags: ['django', 'web'], hiddenTags: ['career'] });
      expect(await get('alice')).toEqual(saved);
      const outbox = (await stored('preferences', { user: 'alice' }))?.outbox as DomainEvent[];
      expect(outbox).toEqual([
        expect.objectContaining({
          type: 'preferences.updated',
          aggregate: 'preferences:alice',
          origin: 'tagging',
          payload: saved,
        }),
      ]);
    });

    it('treats its own event coming back as applied, and applies newer events from the monolith', async () => {
      await save({ user: 'bob', tags: ['async'], hiddenTags: [] });
      const [own] = (await stored('preferences', { user: 'bob' }))?.outbox as DomainEvent[];
      expect(await apply(stream.deliver(own))).toEqual({ applied: 0, skipped: 1 });
      expect(await apply(stream.deliver(preferencesUpdated('bob', [], ['gui'])))).toEqual({ applied: 1, skipped: 0 });
      expect(await get('bob')).toEqual({ user: 'bob', tags: [], hiddenTags: ['gui'] });
    });

    it.each([
      ['a missing hiddenTags', { user: 'carol', tags: [] }, /hiddenTags must be an array/],
      ['a missing tags', { user: 'carol', hiddenTags: [] }, /tags must be an array/],
      ['a malformed tag', { user: 'carol', tags: ['web'], hiddenTags: ['No Way'] }, /each of hiddenTags must be/],
      [
        '51 tags',
        { user: 'carol', tags: Array.from({ length: 51 }, (_, i) => `t${i}`), hiddenTags: [] },
        /tags must hold at most 50 tags/,
      ],
      ['an unknown field', { user: 'carol', tags: [], hiddenTags: [], mutedUsers: ['x'] }, /mutedUsers/],
      ['a malformed user', { user: 'bad.name', tags: [], hiddenTags: [] }, /user must be 1-64 letters, digits, _ or -/],
    ])('rejects %s with a 400 naming the field', async (_case, data, message) => {
      await expect(save(data)).rejects.toMatchObject(rejection(400, message));
      expect(await stored('preferences', { user: 'carol' })).toBeNull();
    });

    it('rejects a malformed user when reading', async () => {
      await expect(get('no spaces')).rejects.toMatchObject(rejection(400, /user must be/));
    });
  });

  describe(PATTERNS.tagging.applyEvents, () => {
    it('applies a delivery once: the same delivery again changes nothing', async () => {
      const delivery = stream.deliver(
        postCreated(autoTagged('n1', 800, ['gui'])),
        preferencesUpdated('dora', ['gui'], []),
      );
      expect(await apply(delivery)).toEqual({ applied: 2, skipped: 0 });
      expect(await apply(delivery)).toEqual({ applied: 0, skipped: 2 });
      expect(await stored('posts', { id: 'n1' })).toMatchObject({ applied: 1 });
      expect(await stored('preferences', { user: 'dora' })).toMatchObject({ applied: 1 });
    });

    it('skips an event older than what was applied to the post', async () => {
      const older = stream.deliver(postUpdated({ ...posts[0], title: 'Old title' })).events[0];
      await apply(stream.deliver(postUpdated({ ...posts[0], title: 'New title' })));
      expect(await apply({ events: [older] })).toEqual({ applied: 0, skipped: 1 });
      expect((await page({ tag: 'web' })).items.find((post) => post.id === 'd1')).toMatchObject({ title: 'New title' });
    });

    it('takes tags changed by the monolith, and skips tags of a post it never heard of', async () => {
      const tags = { auto_tags: ['django', 'web'], manual_tags: ['legacy'], tags: ['django', 'legacy', 'web'] };
      expect(await apply(stream.deliver(postTagged('d1', tags), postTagged('ghost', tags)))).toEqual({
        applied: 1,
        skipped: 1,
      });
      expect(await postTags('d1')).toEqual({ id: 'd1', ...tags });
    });

    it('skips events it does not consume', async () => {
      expect(await apply(stream.deliver(engagementRecorded('d1', 'alice', 'like')))).toEqual({
        applied: 0,
        skipped: 1,
      });
    });
  });

  describe('restart', () => {
    it('answers the same from its own store after a restart', async () => {
      await send(PATTERNS.tagging.replacePostTags, { id: 'dj', tags: ['tutorial'] });
      await send(PATTERNS.tagging.replacePreferences, { user: 'erin', tags: ['web'], hiddenTags: ['gui'] });
      const answers = async () => [
        await send(PATTERNS.tagging.countTags, {}),
        await page({ tag: 'django' }),
        await postTags('dj'),
        await send(PATTERNS.tagging.getPreferences, { user: 'erin' }),
      ];
      const before = await answers();
      expect(before[3]).toEqual({ user: 'erin', tags: ['web'], hiddenTags: ['gui'] });
      await app?.close();
      app = await start();
      expect(await answers()).toEqual(before);
    });
  });

  describe(PATTERNS.tagging.reset, () => {
    it('forgets every post and preference; a replay, own events included, brings them back', async () => {
      await send(PATTERNS.tagging.replacePostTags, { id: 'dj', tags: ['tutorial', 'beginner'] });
      await send(PATTERNS.tagging.replacePreferences, {
        user: 'alice',
        tags: ['web', 'django'],
        hiddenTags: ['career'],
      });
      const own = ((await stored('posts', { id: 'dj' }))?.outbox as DomainEvent[]).at(-1) as DomainEvent;
      const ownPreferences = ((await stored('preferences', { user: 'alice' }))?.outbox as DomainEvent[]).at(
        -1,
      ) as DomainEvent;
      await send(PATTERNS.tagging.reset, {});
      expect(await send(PATTERNS.tagging.countTags, {})).toEqual([]);
      await expect(postTags('dj')).rejects.toMatchObject({ status: 404 });
      expect(await send(PATTERNS.tagging.getPreferences, { user: 'alice' })).toEqual({
        user: 'alice',
        tags: [],
        hiddenTags: [],
      });

      expect(await apply(stream.deliver(postCreated(posts[6]), own, ownPreferences))).toEqual({
        applied: 3,
        skipped: 0,
      });
      expect(await postTags('dj')).toEqual({
        id: 'dj',
        tags: ['beginner', 'django', 'tutorial'],
        auto_tags: ['django'],
        manual_tags: ['beginner', 'tutorial'],
      });
      expect(await send(PATTERNS.tagging.getPreferences, { user: 'alice' })).toEqual({
        user: 'alice',
        tags: ['django', 'web'],
        hiddenTags: ['career'],
      });
    });
  });
});
