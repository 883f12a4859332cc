import { INestApplication } from '@nestjs/common';
import { PATTERNS } from '@app/contracts';
import { ServiceClient, createServiceClient } from '@app/transport';
import { aPost } from '../../../test/support/builders';
import {
  EventStream,
  engagementRecorded,
  postCreated,
  postTagged,
  postUpdated,
  preferencesUpdated,
} from '../../../test/support/events';
import { clientEnv, startService, transportEnv } from '../../../test/support/services';
import { openTestDb } from '../../../test/support/store';
import { RecommendationsConfig } from './recommendations.config';
import { RecommendationsModule } from './recommendations.module';

type Items = { items: { id: string }[] };

/** A post of the given score (score = ups - downs, so upsanddowns = -score) carrying exactly `tags`. */
const scored = (id: string, score: number, num_comments: number, tags: string[]) =>
  aPost({ id, ups: score + 10, downs: 10, num_comments, tags, auto_tags: tags, manual_tags: [] });

describe('recommendations service', () => {
  let env: Record<string, string>;
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  let app: INestApplication | undefined;
  let client: ServiceClient;
  let stream: EventStream;
  const posts = [
    scored('r4', 80, 3, ['django', 'testing']),
    scored('r5', 51, 0, []),
    scored('r6', 50, 99, ['django']),
    scored('r1', 100, 5, ['web']),
    scored('r3', 80, 3, ['flask']),
    scored('r7', 10, 99, ['django']),
    scored('r2', 80, 10, ['django']),
  ];

  const start = () => startService('recommendations', RecommendationsModule, RecommendationsConfig, env, testDb.dbName);
  const send = <T>(pattern: string, data: unknown) => client.send<T>(pattern, data);
  const apply = (delivery: ReturnType<EventStream['deliver']>) => send(PATTERNS.recommendations.applyEvents, delivery);
  const top = async (data: object = {}) =>
    (await send<Items>(PATTERNS.recommendations.list, data)).items.map((i) => i.id);
  const forUser = async (user: string, limit?: string) =>
    (await send<Items>(PATTERNS.recommendations.forUser, { user, ...(limit ? { limit } : {}) })).items.map((i) => i.id);

  // Each case gets a service of its own, on its own database, that knows the posts, hides and preferences below.
  beforeEach(async () => {
    env = await transportEnv('tcp');
    testDb = await openTestDb('recommendations_service');
    app = await start();
    client = createServiceClient('recommendations', clientEnv(env));
    stream = new EventStream();
    await apply(
      stream.deliver(
        ...posts.map(postCreated),
        engagementRecorded('r1', 'carol', 'hide'),
        engagementRecorded('r2', 'carol', 'like'),
        engagementRecorded('r3', 'dave', 'hide'),
        engagementRecorded('r1', 'erin', 'hide'),
        engagementRecorded('r2', 'erin', 'hide'),
        preferencesUpdated('carol', ['django'], ['flask']),
        preferencesUpdated('frank', ['django'], ['django']),
        preferencesUpdated('gina', ['testing'], []),
      ),
    );
  });

  afterEach(async () => {
    await client?.close();
    await app?.close();
    await testDb?.close();
  });

  describe(PATTERNS.recommendations.list, () => {
    it('lists exactly the posts scoring over 50: upsanddowns asc, num_comments desc, id asc', async () => {
      expect(await top()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    });

    it('returns the recommendation fields only', async () => {
      expect(await send(PATTERNS.recommendations.list, { limit: '1' })).toEqual({
        items: [
          { id: 'r1', title: posts[3].title, score: 100, ups: 110, downs: 10, num_comments: 5, upsanddowns: -100 },
        ],
      });
    });

    it('respects the limit, given as the query string gives it or as a number', async () => {
      expect(await top({ limit: '3' })).toEqual(['r1', 'r2', 'r3']);
      expect(await top({ limit: 2 })).toEqual(['r1', 'r2']);
    });

    it.each([
      [{ limit: '0' }, /limit must not be less than 1/],
      [{ limit: '101' }, /limit must not be greater than 100/],
      [{ limit: 'two' }, /limit must be an integer/],
      [{ page: '2' }, /property page should not exist/],
    ])('rejects %j with a 400 naming the field', async (data, message) => {
      await expect(send(PATTERNS.recommendations.list, data)).rejects.toMatchObject({
        status: 400,
        message: expect.stringMatching(message),
      });
    });
  });

  describe(PATTERNS.recommendations.forUser, () => {
    it('gives a user with no hides and no preferences the common list', async () => {
      expect(await forUser('nobody')).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    });

    it('drops posts the user hid, and only those (a like hides nothing)', async () => {
      expect(await forUser('dave')).toEqual(['r1', 'r2', 'r4', 'r5']);
    });

    it('fills the limit past the hidden posts', async () => {
      expect(await forUser('erin', '2')).toEqual(['r3', 'r4']);
    });

    it('drops posts with a hidden tag and ranks preferred tags first, keeping the base order in each group', async () => {
      expect(await forUser('carol')).toEqual(['r2', 'r4', 'r5']);
      expect(await forUser('carol', '1')).toEqual(['r2']);
    });

    it('brings a preferred post from far down the list to the top', async () => {
      expect(await forUser('gina', '1')).toEqual(['r4']);
      expect(await forUser('gina', '3')).toEqual(['r4', 'r1', 'r2']);
    });

    it('lets a hidden tag win over the same preferred tag', async () => {
      expect(await forUser('frank')).toEqual(['r1', 'r3', 'r5']);
    });

    it.each([
      [{ user: 'bad$name' }, /user must be 1-64 letters, digits, _ or -/],
      [{}, /user must be 1-64 letters, digits, _ or -/],
      [{ user: 'carol', limit: '0' }, /limit must not be less than 1/],
      [{ user: 'carol', limit: '101' }, /limit must not be greater than 100/],
    ])('rejects %j with a 400 naming the field', async (data, message) => {
      await expect(send(PATTERNS.recommendations.forUser, data)).rejects.toMatchObject({
        status: 400,
        message: expect.stringMatching(message),
      });
    });
  });

  describe(PATTERNS.recommendations.applyEvents, () => {
    it('applies a delivery once: the same delivery again changes nothing', async () => {
      const post = scored('r8', 60, 0, ['gui']);
      const delivery = stream.deliver(
        postCreated(post),
        engagementRecorded('r8', 'hal', 'hide'),
        preferencesUpdated('hal', ['gui'], []),
      );
      expect(await apply(delivery)).toEqual({ applied: 3, skipped: 0 });
      expect(await apply(delivery)).toEqual({ applied: 0, skipped: 3 });
      expect(await top()).toEqual(['r1', 'r2', 'r3', 'r4', 'r8', 'r5']);
      expect(await forUser('hal')).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    });

    it('moves an updated post to where its new values rank, and drops it when it falls to 50', async () => {
      await apply(stream.deliver(postUpdated(scored('r5', 120, 0, []))));
      expect(await top({ limit: '2' })).toEqual(['r5', 'r1']);
      await apply(stream.deliver(postUpdated(scored('r5', 50, 0, []))));
      expect(await top()).not.toContain('r5');
    });

    it('skips an event older than what was applied to the post', async () => {
      const older = stream.deliver(postUpdated(scored('r6', 200, 99, ['django']))).events[0];
      await apply(stream.deliver(postUpdated(scored('r6', 40, 99, ['django']))));
      expect(await apply({ events: [older] })).toEqual({ applied: 0, skipped: 1 });
      expect(await top()).not.toContain('r6');
    });

    it("personalises with a post's new tags: preferred now, no longer hidden", async () => {
      expect(await forUser('gina', '1')).toEqual(['r4']);
      expect(await forUser('carol')).not.toContain('r3');
      const tags = { auto_tags: [], manual_tags: ['testing'], tags: ['testing'] };
      await apply(stream.deliver(postTagged('r3', tags)));
      expect(await forUser('gina', '2')).toEqual(['r3', 'r4']);
      expect(await forUser('carol')).toEqual(['r2', 'r4', 'r3', 'r5']);
    });

    it('replaces preferences with newer ones and keeps them against older ones', async () => {
      const older = stream.deliver(preferencesUpdated('ivan', ['web'], [])).events[0];
      await apply(stream.deliver(preferencesUpdated('ivan', [], ['web'])));
      expect(await apply({ events: [older] })).toEqual({ applied: 0, skipped: 1 });
      expect(await forUser('ivan')).not.toContain('r1');
    });

    it('rejects a malformed delivery with a 400', async () => {
      await expect(apply({ events: [{ type: 'post.created' }] } as never)).rejects.toMatchObject({ status: 400 });
    });
  });

  describe('restart', () => {
    it('rebuilds the ready list from its own store and answers the same', async () => {
      const before = { top: await top({ limit: '100' }), carol: await forUser('carol'), gina: await forUser('gina') };
      await app?.close();
      app = await start();
      expect({ top: await top({ limit: '100' }), carol: await forUser('carol'), gina: await forUser('gina') }).toEqual(
        before,
      );
    });
  });

  describe(PATTERNS.recommendations.reset, () => {
    it('forgets every post, hide and preference; a replay brings them back', async () => {
      await send(PATTERNS.recommendations.reset, {});
      expect(await top()).toEqual([]);
      expect(await forUser('carol')).toEqual([]);
      await apply(stream.deliver(...posts.map(postCreated), engagementRecorded('r1', 'carol', 'hide')));
      expect(await top()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
      expect(await forUser('carol')).toEqual(['r2', 'r3', 'r4', 'r5']);
    });
  });
});
