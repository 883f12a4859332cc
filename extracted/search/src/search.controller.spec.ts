import { INestApplication } from '@nestjs/common';
import { EVENTS, PATTERNS, SearchResult, domainEvent } from '@app/contracts';
import { ServiceClient, createServiceClient } from '@app/transport';
import { aPost } from '../../../test/support/builders';
import { EventStream, postCreated, postUpdated } from '../../../test/support/events';
import { clientEnv, startService, transportEnv } from '../../../test/support/services';
import { openTestDb } from '../../../test/support/store';
import { SearchConfig } from './search.config';
import { SearchModule } from './search.module';

const titled = (id: string, title: string, score: number, num_comments = 0) =>
  aPost({ id, title, ups: score + 10, downs: 10, num_comments });

describe('search service', () => {
  let env: Record<string, string>;
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  let app: INestApplication | undefined;
  let client: ServiceClient;
  const stream = new EventStream();
  const posts = [
    titled('s1', 'Python packaging in 2024', 30),
    titled('s2', 'Why pythonic code reads well', 50, 4),
    titled('s3', 'Packaging a Django app', 50, 9),
    titled('s4', 'Async Python: a primer', 10),
    titled('s5', 'Flask or Django?', 70),
  ];

  const start = () => startService('search', SearchModule, SearchConfig, env, testDb.dbName);
  const search = (q: string, page = 1, limit = 10) =>
    client.send<SearchResult>(PATTERNS.search.query, { q, page: String(page), limit: String(limit) });
  const ids = async (q: string, page?: number, limit?: number) => (await search(q, page, limit)).items.map((i) => i.id);
  const apply = (delivery: ReturnType<EventStream['deliver']>) => client.send(PATTERNS.search.applyEvents, delivery);

  beforeAll(async () => {
    env = await transportEnv('tcp');
    testDb = await openTestDb('search_service');
    app = await start();
    client = createServiceClient('search', clientEnv(env));
    await apply(stream.deliver(...posts.map(postCreated)));
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await testDb?.close();
  });

  describe(PATTERNS.search.query, () => {
    it('matches every word as a prefix, case-insensitively, in search order', async () => {
      expect(await ids('PY')).toEqual(['s2', 's1', 's4']);
      expect(await ids('pack django')).toEqual(['s3']);
    });

    it('pages the matches and counts them all', async () => {
      expect(await search('py', 2, 2)).toMatchObject({ items: [{ id: 's4' }], total: 3, page: 2, limit: 2 });
      expect(await search('py', 3, 2)).toMatchObject({ items: [], total: 3 });
      expect(await search('nothing')).toMatchObject({ items: [], total: 0 });
    });

    it('rejects a query without words with a 400', async () => {
      await expect(search('?!')).rejects.toMatchObject({ status: 400 });
    });
  });

  describe(PATTERNS.search.applyEvents, () => {
    it('applies a delivery once: the same delivery again changes nothing', async () => {
      const delivery = stream.deliver(postCreated(titled('s6', 'Python tips', 100)));
      expect(await apply(delivery)).toEqual({ applied: 1, skipped: 0 });
      expect(await apply(delivery)).toEqual({ applied: 0, skipped: 1 });
      expect(await ids('python')).toEqual(['s6', 's2', 's1', 's4']);
    });

    it('re-ranks a post whose score changed and re-indexes a changed title', async () => {
      await apply(stream.deliver(postUpdated(titled('s4', 'Async Python: a primer', 200))));
      expect(await ids('python')).toEqual(['s4', 's6', 's2', 's1']);
      await apply(stream.deliver(postUpdated(titled('s6', 'Rust tips', 100))));
      expect(await ids('python')).toEqual(['s4', 's2', 's1']);
      expect(await ids('rust')).toEqual(['s6']);
    });

    it('refuses a malformed delivery with a 400 naming the field, and applies none of it', async () => {
      const [good] = stream.deliver(postCreated(titled('s8', 'Rust macros', 1))).events;
      const cases: Array<[unknown, RegExp]> = [
        ['not a delivery', /must be an object/],
        [{ events: 'none' }, /events must be an array/],
        [{ events: [good], extra: 1 }, /property extra should not exist/],
        [{ events: [good, { ...good, position: 0 }] }, /events\.1: position must not be less than 1/],
        [{ events: [good, { ...good, type: undefined, kind: 'x' }] }, /events\.1: property kind should not exist/],
        [{ events: [good, 7] }, /each value in events must be an object/],
      ];
      for (const [delivery, message] of cases) {
        await expect(client.send(PATTERNS.search.applyEvents, delivery)).rejects.toMatchObject({
          status: 400,
          message: expect.stringMatching(message),
        });
      }
      expect(await ids('macros')).toEqual([]);
    });
  });

  describe('restart', () => {
    it('rebuilds its index from its own store and answers the same', async () => {
      const before = [await search('py'), await search('a'), await search('tips')];
      await app?.close();
      app = await start();
      expect([await search('py'), await search('a'), await search('tips')]).toEqual(before);
    });
  });

  describe(EVENTS.postsDropped, () => {
    it('forgets the posts a bulk reset removed and keeps those written after it', async () => {
      const dropped = stream.deliver(domainEvent(EVENTS.postsDropped, 'posts', {}));
      await apply(stream.deliver(postCreated(titled('s7', 'Python after the reset', 5))));
      // The drop is positioned before s7's creation, as a replay delivers a later write first.
      expect(await apply(dropped)).toEqual({ applied: 1, skipped: 0 });
      expect(await ids('python')).toEqual(['s7']);
    });
  });

  describe(PATTERNS.search.reset, () => {
    it('forgets every post; a replay brings them back', async () => {
      await client.send(PATTERNS.search.reset, {});
      expect(await search('py')).toMatchObject({ items: [], total: 0 });
      await apply(stream.deliver(...posts.map(postCreated)));
      expect(await ids('py')).toEqual(['s2', 's1', 's4']);
    });
  });
});
