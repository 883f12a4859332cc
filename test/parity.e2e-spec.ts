import { INestApplication, Type } from '@nestjs/common';
import { ClassConstructor } from 'class-transformer';
import { Db } from 'mongodb';
import request from 'supertest';
import {
  DomainEvent,
  HTTP_BRIDGE,
  HttpRequestParts,
  MAX_EVENTS_PER_DELIVERY,
  PATTERNS,
  RelayedEvent,
  TagCount,
} from '@app/contracts';
import { splitWords } from '@app/domain';
import { errorBody } from '@app/platform';
import { RemoteError, ServiceClient, ServiceEnv, ServiceName, createServiceClient } from '@app/transport';
import { dumpStream, importStream } from '../datasets/src';
import { EngagementConfig } from '../extracted/engagement/src/engagement.config';
import { EngagementModule } from '../extracted/engagement/src/engagement.module';
import { RecommendationsConfig } from '../extracted/recommendations/src/recommendations.config';
import { RecommendationsModule } from '../extracted/recommendations/src/recommendations.module';
import { SearchConfig } from '../extracted/search/src/search.config';
import { SearchModule } from '../extracted/search/src/search.module';
import { TaggingConfig } from '../extracted/tagging/src/tagging.config';
import { TaggingModule } from '../extracted/tagging/src/tagging.module';
import type { PostDocument } from '@app/posts';
import { postCreated } from './support/events';
import { createMonolithApp } from './support/monolith-app';
import { clientEnv, startService, transportEnv } from './support/services';
import { openTestDb, testMongoUrl } from './support/store';

const POSTS = 500;
const SEED = 20_240_601;
const PAGE = 7;

/** An HTTP request of the public API, as a test case for both sides. */
interface Call {
  method: 'GET' | 'PUT' | 'POST';
  /** The path pattern of HTTP_BRIDGE, e.g. `/tags/:tag/posts`. */
  path: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
}

interface Answer {
  status: number;
  body: unknown;
}

/** The finished services whose answers must equal the monolith's (a scaffolded one has its own parity check). */
type ParityService = 'search' | 'recommendations' | 'tagging' | 'engagement';

const SERVICES: Record<ParityService, { module: Type<unknown>; config: ClassConstructor<ServiceEnv> }> = {
  search: { module: SearchModule, config: SearchConfig },
  recommendations: { module: RecommendationsModule, config: RecommendationsConfig },
  tagging: { module: TaggingModule, config: TaggingConfig },
  engagement: { module: EngagementModule, config: EngagementConfig },
};

const idsOf = (answer: Answer) => (answer.body as { items: { id: string }[] }).items.map((item) => item.id);

const describeCall = ({ method, path, params = {}, query = {}, body }: Call) =>
  `${method} ${urlOf({ method, path, params, query })}${body ? ` ${JSON.stringify(body)}` : ''}`;

function urlOf({ path, params = {}, query = {} }: Call): string {
  const filled = path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name]));
  const search = new URLSearchParams(query).toString();
  return search ? `${filled}?${search}` : filled;
}

/** Every event waiting in the monolith's outboxes, in the order they were recorded. */
async function outboxEvents(db: Db): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  for (const collection of ['posts', 'preferences', 'engagements']) {
    const documents = await db
      .collection<{ outbox?: DomainEvent[] }>(collection)
      .find({ outbox: { $exists: true } }, { projection: { outbox: 1 } })
      .toArray();
    for (const document of documents) events.push(...(document.outbox ?? []));
  }
  // Stable: events of one document keep their order.
  return events.sort((a, b) => a.at - b.at);
}

describe('parity of the extracted services with the monolith', () => {
  let monolithDb: Awaited<ReturnType<typeof openTestDb>>;
  const serviceDbs: Partial<Record<ServiceName, Awaited<ReturnType<typeof openTestDb>>>> = {};
  const services: INestApplication[] = [];
  const clients: Partial<Record<ServiceName, ServiceClient>> = {};
  let monolith: INestApplication;

  /** Data picked from the generated posts once they are in. */
  const picked = {
    recommended: [] as string[],
    unrecommended: [] as string[],
    created: [] as string[],
    tags: [] as TagCount[],
    /** Two words of one title. */
    titleWords: [] as string[],
  };

  async function askMonolith(call: Call): Promise<Answer> {
    const url = urlOf(call);
    const http = request(monolith.getHttpServer());
    const res =
      call.method === 'GET'
        ? await http.get(url)
        : call.method === 'PUT'
          ? await http.put(url).send(call.body)
          : await http.post(url).send(call.body);
    return { status: res.status, body: res.body };
  }

  /** What the gateway would answer from the service: the bridge builds the message, errors map back to HTTP. */
  async function askService(call: Call): Promise<Answer> {
    const entry = HTTP_BRIDGE.find((candidate) => candidate.method === call.method && candidate.path === call.path);
    if (!entry) throw new Error(`no bridge entry for ${call.method} ${call.path}`);
    const parts: HttpRequestParts = { params: call.params ?? {}, query: call.query ?? {}, body: call.body ?? {} };
    try {
      return {
        status: entry.status,
        body: await (clients[entry.service] as ServiceClient).send(entry.pattern, entry.payload(parts)),
      };
    } catch (error) {
      if (!(error instanceof RemoteError)) throw error;
      return { status: error.status, body: errorBody(error.status, error.message) };
    }
  }

  /** Asks both sides each call; returns the monolith's answers, for checks that the corpus means something. */
  async function expectParity(calls: Call[]): Promise<Answer[]> {
    const answers: Answer[] = [];
    for (const call of calls) {
      const [fromMonolith, fromService] = [await askMonolith(call), await askService(call)];
      expect({ call: describeCall(call), ...fromService }).toEqual({ call: describeCall(call), ...fromMonolith });
      answers.push(fromMonolith);
    }
    return answers;
  }

  const put = (path: string, params: Record<string, string>, body: Record<string, unknown>): Call => ({
    method: 'PUT',
    path,
    params,
    body,
  });
  const post = (path: string, params: Record<string, string>, body: Record<string, unknown>): Call => ({
    method: 'POST',
    path,
    params,
    body,
  });
  const get = (path: string, params: Record<string, string> = {}, query: Record<string, string> = {}): Call => ({
    method: 'GET',
    path,
    params,
    query,
  });

  beforeAll(async () => {
    monolithDb = await openTestDb('parity_monolith');
    await importStream(dumpStream({ count: POSTS, seed: SEED }), {
      mongoUrl: testMongoUrl(),
      dbName: monolithDb.dbName,
    });
    monolith = await createMonolithApp(monolithDb.dbName);
    const http = () => request(monolith.getHttpServer());

    for (const title of ['Parity testing of Django and Flask services', 'Async generators in Python 3']) {
      picked.created.push((await http().post('/posts').send({ title, author: 'parity' }).expect(201)).body.id);
    }
    picked.recommended = (await http().get('/recommendations?limit=30').expect(200)).body.items.map(
      (item: { id: string }) => item.id,
    );
    const all = await monolithDb.db
      .collection<PostDocument>('posts')
      .find({}, { projection: { id: 1, score: 1, title: 1 } })
      .toArray();
    picked.unrecommended = all.filter((p) => p.score <= 50).map((p) => p.id);
    picked.titleWords =
      all.map((p) => splitWords(p.title).filter((word) => word.length >= 5)).find((words) => words.length >= 2) ?? [];
    picked.tags = (await http().get('/tags').expect(200)).body;
    const [top, second, third] = picked.tags.map((count) => count.tag);
    const [r0, r1, r2, r3, r4, r5, r6] = picked.recommended;

    // Writes through the monolith's API; their events wait in its outboxes.
    await http()
      .put(`/posts/${r3}/tags`)
      .send({ tags: ['parity-check', top] })
      .expect(200);
    await http()
      .put(`/posts/${r5}/tags`)
      .send({ tags: ['beginner'] })
      .expect(200);
    await http()
      .put(`/posts/${picked.unrecommended[0]}/tags`)
      .send({ tags: ['parity-check'] })
      .expect(200);
    await http()
      .put(`/posts/${picked.created[0]}/tags`)
      .send({ tags: ['parity-check', 'beginner'] })
      .expect(200);
    await http()
      .put('/users/alice/preferences')
      .send({ tags: [second], hiddenTags: [third] })
      .expect(200);
    await http()
      .put('/users/bob/preferences')
      .send({ tags: [], hiddenTags: [top] })
      .expect(200);
    await http()
      .put('/users/carol/preferences')
      .send({ tags: ['parity-check'], hiddenTags: [] })
      .expect(200);
    await http()
      .put('/users/carol/preferences')
      .send({ tags: ['parity-check', 'beginner'], hiddenTags: [] })
      .expect(200);
    await http()
      .put('/users/frank/preferences')
      .send({ tags: [top], hiddenTags: [top] })
      .expect(200);
    const engagements: [string, string, string][] = [
      [r0, 'alice', 'hide'],
      [r2, 'alice', 'hide'],
      [r1, 'dave', 'hide'],
      [r4, 'carol', 'hide'],
      [r6, 'bob', 'hide'],
      [r0, 'bob', 'likes'],
      [r0, 'carol', 'likes'],
      [r0, 'dave', 'likes'],
      [r0, 'dave', 'likes'],
      [r0, 'alice', 'shares'],
      [r1, 'erin', 'shares'],
      [picked.created[1], 'erin', 'likes'],
      [picked.unrecommended[1], 'alice', 'hide'],
    ];
    for (const [id, user, kind] of engagements) {
      await http().post(`/posts/${id}/${kind}`).send({ user }).expect(202);
    }

    // What the relay would deliver: the imported posts (a backfill), then the outboxes.
    const imported = await monolithDb.db
      .collection<PostDocument>('posts')
      .find({ id: { $nin: picked.created } }, { projection: { announced_event: 0 } })
      .toArray();
    const events = [...imported.map(postCreated), ...(await outboxEvents(monolithDb.db))];
    const relayed: RelayedEvent[] = events.map((event, index) => ({ ...event, position: index + 1 }));

    const env = await transportEnv('tcp');
    for (const [name, { module, config }] of Object.entries(SERVICES) as [
      ParityService,
      (typeof SERVICES)[ParityService],
    ][]) {
      const db = await openTestDb(`parity_${name}`);
      serviceDbs[name] = db;
      services.push(await startService(name, module, config, env, db.dbName));
      const client = createServiceClient(name, clientEnv(env));
      clients[name] = client;
      for (let start = 0; start < relayed.length; start += MAX_EVENTS_PER_DELIVERY) {
        const events = relayed.slice(start, start + MAX_EVENTS_PER_DELIVERY);
        await client.send(PATTERNS[name].applyEvents, { events }, { timeoutMs: 60_000 });
      }
    }
  }, 300_000);

  afterAll(async () => {
    await Promise.all(Object.values(clients).map((client) => client?.close()));
    for (const service of services) await service.close();
    await monolith?.close();
    await Promise.all(Object.values(serviceDbs).map((db) => db?.close()));
    await monolithDb?.close();
  });

  it('starts from a generated dataset with recommendable posts and several tags', () => {
    expect(picked.recommended).toHaveLength(30);
    expect(picked.tags.length).toBeGreaterThan(5);
  });

  describe('recommendations', () => {
    it('lists the same recommendations for every limit', async () => {
      const limits: Record<string, string>[] = [
        {},
        { limit: '1' },
        { limit: '5' },
        { limit: '12' },
        { limit: '50' },
        { limit: '100' },
      ];
      await expectParity(limits.map((query) => get('/recommendations', {}, query)));
    });

    it('personalises the same way for users with hides, preferences, both or neither', async () => {
      const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'nobody'];
      const limits: Record<string, string>[] = [{}, { limit: '3' }, { limit: '100' }];
      const answers = await expectParity(
        users.flatMap((user) => limits.map((query) => get('/users/:user/recommendations', { user }, query))),
      );
      const longest = (user: string) => idsOf(answers[users.indexOf(user) * limits.length + limits.length - 1]);
      for (const user of ['alice', 'bob', 'carol', 'dave', 'frank'])
        expect(longest(user)).not.toEqual(longest('nobody'));
    });
  });

  describe('tagging', () => {
    it('counts the same tags', async () => {
      await expectParity([get('/tags')]);
    });

    it('pages the same posts by tag, including the last page and a page past the end', async () => {
      const tags = [picked.tags[0], picked.tags[2], picked.tags[picked.tags.length - 1]];
      const calls = tags.flatMap(({ tag, count }) => {
        const last = String(Math.max(1, Math.ceil(count / PAGE)));
        const beyond = String(Math.ceil(count / PAGE) + 1);
        return [
          get('/tags/:tag/posts', { tag }),
          get('/tags/:tag/posts', { tag }, { page: '2', limit: String(PAGE) }),
          get('/tags/:tag/posts', { tag }, { page: last, limit: String(PAGE) }),
          get('/tags/:tag/posts', { tag }, { page: beyond, limit: String(PAGE) }),
        ];
      });
      calls.push(get('/tags/:tag/posts', { tag: 'parity-check' }), get('/tags/:tag/posts', { tag: 'never-used' }));
      const answers = await expectParity(calls);
      expect(answers.at(-2)?.body).toMatchObject({ total: 3 });
    });

    it('gives the same tags of a post, manual or automatic', async () => {
      const ids = [...picked.recommended.slice(0, 8), ...picked.unrecommended.slice(0, 3), ...picked.created];
      await expectParity(ids.map((id) => get('/posts/:id/tags', { id })));
    });

    it('gives the same preferences, saved or not', async () => {
      await expectParity(
        ['alice', 'bob', 'carol', 'frank', 'nobody'].map((user) => get('/users/:user/preferences', { user })),
      );
    });
  });

  describe('engagement', () => {
    it('gives the same stats', async () => {
      const ids = [...picked.recommended.slice(0, 8), ...picked.unrecommended.slice(0, 2), ...picked.created];
      await expectParity(ids.map((id) => get('/posts/:id/stats', { id })));
    });
  });

  describe('search', () => {
    it('finds the same posts for words, prefixes, several words, punctuation, case and no match', async () => {
      const [word, other] = picked.titleWords;
      const terms = [
        word,
        word.slice(0, 3),
        `${word} ${other}`,
        `${word.toUpperCase()}!!! (${other.slice(0, 2)})`,
        'python',
        'pyth',
        'django web',
        'c++ & python',
        'zzqqxxnomatch',
      ];
      const answers = await expectParity(
        terms.flatMap((q) => [get('/search', {}, { q }), get('/search', {}, { q, limit: '5', page: '2' })]),
      );
      const totals = answers.map((answer) => (answer.body as { total: number }).total);
      expect(totals[0]).toBeGreaterThan(0);
      expect(totals[4]).toBeGreaterThan(0);
      expect(totals.at(-2)).toBe(0);
    });

    it('pages the same way up to and past the last page', async () => {
      const { total } = (await askMonolith(get('/search', {}, { q: 'python', limit: String(PAGE) }))).body as {
        total: number;
      };
      const last = Math.max(1, Math.ceil(total / PAGE));
      await expectParity(
        [1, last - 1, last, last + 1]
          .filter((page) => page >= 1)
          .map((page) => get('/search', {}, { q: 'python', page: String(page), limit: String(PAGE) })),
      );
    });
  });

  describe('errors', () => {
    it('rejects the same invalid input with the same status and message', async () => {
      const someId = picked.recommended[0];
      await expectParity([
        get('/recommendations', {}, { limit: '0' }),
        get('/recommendations', {}, { limit: '101' }),
        get('/recommendations', {}, { limit: 'two' }),
        get('/recommendations', {}, { page: '2' }),
        get('/users/:user/recommendations', { user: 'bad$name' }),
        get('/users/:user/recommendations', { user: 'carol' }, { limit: '0' }),
        get('/tags/:tag/posts', { tag: 'Django' }),
        get('/tags/:tag/posts', { tag: '-web' }),
        get('/tags/:tag/posts', { tag: 'django' }, { limit: '101' }),
        get('/tags/:tag/posts', { tag: 'django' }, { page: '0' }),
        get('/posts/:id/tags', { id: 'nope' }),
        get('/posts/:id/tags', { id: 'bad$id' }),
        put('/posts/:id/tags', { id: someId }, { tags: [] }),
        put('/posts/:id/tags', { id: someId }, { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }),
        put('/posts/:id/tags', { id: someId }, { tags: ['ok', 'Not OK'] }),
        put('/posts/:id/tags', { id: someId }, { tags: 'django' }),
        put('/posts/:id/tags', { id: someId }, {}),
        put('/posts/:id/tags', { id: someId }, { tags: ['ok'], auto_tags: ['x'] }),
        put('/posts/:id/tags', { id: 'nope' }, { tags: ['ok'] }),
        put('/posts/:id/tags', { id: 'bad$id' }, { tags: ['ok'] }),
        get('/users/:user/preferences', { user: 'no spaces' }),
        put('/users/:user/preferences', { user: 'carol' }, { tags: [] }),
        put('/users/:user/preferences', { user: 'carol' }, { tags: ['web'], hiddenTags: ['No Way'] }),
        put(
          '/users/:user/preferences',
          { user: 'carol' },
          { tags: Array.from({ length: 51 }, (_, i) => `t${i}`), hiddenTags: [] },
        ),
        put('/users/:user/preferences', { user: 'carol' }, { tags: [], hiddenTags: [], mutedUsers: ['x'] }),
        put('/users/:user/preferences', { user: 'bad.name' }, { tags: [], hiddenTags: [] }),
        post('/posts/:id/likes', { id: someId }, { user: 'bad user' }),
        post('/posts/:id/likes', { id: someId }, {}),
        post('/posts/:id/shares', { id: someId }, { user: 'alice', weight: 2 }),
        post('/posts/:id/hide', { id: 'nope' }, { user: 'alice' }),
        post('/posts/:id/likes', { id: 'bad$id' }, { user: 'alice' }),
        get('/posts/:id/stats', { id: 'nope' }),
        get('/posts/:id/stats', { id: 'bad$id' }),
        get('/search', {}, { q: '' }),
        get('/search', {}, { q: '!!! ???' }),
        get('/search', {}),
        get('/search', {}, { q: 'python', limit: '0' }),
        get('/search', {}, { q: 'x'.repeat(201) }),
      ]);
    });
  });

  describe('writes', () => {
    it('answers the same writes the same way, and reads agree afterwards', async () => {
      const [first, second] = picked.recommended;
      const writes = [
        put('/posts/:id/tags', { id: first }, { tags: ['tutorial', 'beginner', 'tutorial'] }),
        put('/users/:user/preferences', { user: 'gina' }, { tags: ['web', 'django', 'web'], hiddenTags: ['career'] }),
        post('/posts/:id/likes', { id: second }, { user: 'gina' }),
        post('/posts/:id/likes', { id: second }, { user: 'gina' }),
        post('/posts/:id/hide', { id: first }, { user: 'gina' }),
      ];
      await expectParity(writes);
      await expectParity([
        get('/posts/:id/tags', { id: first }),
        get('/users/:user/preferences', { user: 'gina' }),
        get('/posts/:id/stats', { id: second }),
        get('/posts/:id/stats', { id: first }),
        get('/tags'),
      ]);
    });
  });
});
