import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { INestApplication, Type } from '@nestjs/common';
import { ClassConstructor } from 'class-transformer';
import { PATTERNS } from '@app/contracts';
import {
  RemoteError,
  RpcTimeoutError,
  ServiceClient,
  ServiceEnv,
  ServiceName,
  TRANSPORTS,
  TransportName,
  createServiceClient,
} from '@app/transport';
import { EngagementConfig } from '../extracted/engagement/src/engagement.config';
import { EngagementModule } from '../extracted/engagement/src/engagement.module';
import { RecommendationsConfig } from '../extracted/recommendations/src/recommendations.config';
import { RecommendationsModule } from '../extracted/recommendations/src/recommendations.module';
import { SearchConfig } from '../extracted/search/src/search.config';
import { SearchModule } from '../extracted/search/src/search.module';
import { TaggingConfig } from '../extracted/tagging/src/tagging.config';
import { TaggingModule } from '../extracted/tagging/src/tagging.module';
import { aPost } from './support/builders';
import { EventStream, engagementRecorded, postCreated, preferencesUpdated } from './support/events';
import { clientEnv, startService, transportEnv } from './support/services';
import { brokerVerdict } from '../scripts/lib/brokers';
import { brokerCase } from './support/broker-cases';
import { uniqueDbName } from './support/store';

const SERVICES: Array<[ServiceName, Type<unknown>, ClassConstructor<ServiceEnv>]> = [
  ['search', SearchModule, SearchConfig],
  ['recommendations', RecommendationsModule, RecommendationsConfig],
  ['tagging', TaggingModule, TaggingConfig],
  ['engagement', EngagementModule, EngagementConfig],
];

describe.each(TRANSPORTS)('contract over %s', (transport) => {
  const apps: INestApplication[] = [];
  const clients = new Map<ServiceName, ServiceClient>();
  // global-setup.js probed the brokers; TCP needs none.
  const verdict = brokerVerdict(transport);
  const call = <T>(service: ServiceName, pattern: string, data: unknown) =>
    (clients.get(service) as ServiceClient).send<T>(pattern, data);

  if ('fail' in verdict) {
    it('reaches its broker', () => {
      throw new Error(verdict.fail);
    });
  }

  beforeAll(async () => {
    if (!verdict.run) return;
    // A queue prefix of its own keeps this run's RabbitMQ queues and NATS groups apart from any other.
    const env = { ...(await transportEnv(transport)), QUEUE_PREFIX: `contract-${randomBytes(4).toString('hex')}` };
    for (const [name, module, config] of SERVICES) {
      apps.push(await startService(name, module, config, env, uniqueDbName(`${transport}_${name}`)));
      clients.set(name, createServiceClient(name, clientEnv(env)));
    }
    const stream = new EventStream();
    const django = aPost({ id: 'dj1', title: 'Django ORM tips', ups: 90, downs: 10, num_comments: 4 });
    const flask = aPost({ id: 'fl1', title: 'Flask or Django?', ups: 70, downs: 5, num_comments: 9 });
    const delivery = stream.deliver(
      postCreated(django),
      postCreated(flask),
      engagementRecorded('dj1', 'ann', 'like'),
      engagementRecorded('fl1', 'ann', 'hide'),
      preferencesUpdated('ann', ['django'], []),
    );
    for (const [name] of SERVICES) await call(name, PATTERNS[name].applyEvents, delivery);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([...clients.values()].map((client) => client.close()));
    for (const app of apps.reverse()) await app.close();
  });

  const it_ = brokerCase(verdict);

  it_('answers every service health pattern', async () => {
    for (const [name] of SERVICES) {
      await expect(call(name, PATTERNS[name].health, {})).resolves.toMatchObject({
        status: 'ok',
        service: name,
        transport,
      });
    }
  });

  it_('search.posts.query: matches and pages', async () => {
    await expect(call('search', PATTERNS.search.query, { q: 'djan', limit: '1' })).resolves.toMatchObject({
      total: 2,
      items: [{ id: 'dj1' }],
      page: 1,
      limit: 1,
    });
  });

  it_('recommendations: the plain list and the personalised one', async () => {
    const plain = await call<{ items: { id: string }[] }>('recommendations', PATTERNS.recommendations.list, {});
    expect(plain.items.map((item) => item.id)).toEqual(['dj1', 'fl1']);
    const personal = await call<{ items: { id: string }[] }>('recommendations', PATTERNS.recommendations.forUser, {
      user: 'ann',
    });
    expect(personal.items.map((item) => item.id)).toEqual(['dj1']);
  });

  it_('tagging: tag counts, tag pages, post tags and preferences, read and written', async () => {
    await expect(call('tagging', PATTERNS.tagging.countTags, {})).resolves.toEqual(
      expect.arrayContaining([{ tag: 'django', count: 2 }]),
    );
    await expect(call('tagging', PATTERNS.tagging.postsByTag, { tag: 'flask' })).resolves.toMatchObject({ total: 1 });
    await expect(
      call('tagging', PATTERNS.tagging.replacePostTags, { id: 'dj1', tags: ['orm'] }),
    ).resolves.toMatchObject({
      id: 'dj1',
      manual_tags: ['orm'],
    });
    await expect(call('tagging', PATTERNS.tagging.getPostTags, { id: 'dj1' })).resolves.toMatchObject({
      manual_tags: ['orm'],
    });
    await expect(call('tagging', PATTERNS.tagging.getPreferences, { user: 'ann' })).resolves.toEqual({
      user: 'ann',
      tags: ['django'],
      hiddenTags: [],
    });
    await expect(
      call('tagging', PATTERNS.tagging.replacePreferences, { user: 'bob', tags: ['web'], hiddenTags: ['flask'] }),
    ).resolves.toEqual({ user: 'bob', tags: ['web'], hiddenTags: ['flask'] });
  });

  it_('engagement: records idempotently and counts', async () => {
    const like = { post_id: 'fl1', user: 'bob', kind: 'like' };
    await expect(call('engagement', PATTERNS.engagement.record, like)).resolves.toMatchObject({ status: 'accepted' });
    await call('engagement', PATTERNS.engagement.record, like);
    await expect(call('engagement', PATTERNS.engagement.stats, { id: 'fl1' })).resolves.toEqual({
      likes: 1,
      shares: 0,
      hides: 1,
    });
  });

  it_('maps domain errors to their status: unknown post -> 404', async () => {
    await expect(call('tagging', PATTERNS.tagging.getPostTags, { id: 'nope' })).rejects.toMatchObject({ status: 404 });
    await expect(call('engagement', PATTERNS.engagement.stats, { id: 'nope' })).rejects.toMatchObject({ status: 404 });
  });

  it_('rejects invalid payloads with 400 and a message naming the field', async () => {
    const cases: Array<[ServiceName, string, unknown, RegExp]> = [
      ['search', PATTERNS.search.query, { q: 'x', limit: '0' }, /limit/],
      ['search', PATTERNS.search.query, { q: 'x', extra: 1 }, /extra/],
      ['recommendations', PATTERNS.recommendations.forUser, { user: 'bad user!' }, /user/],
      ['tagging', PATTERNS.tagging.replacePostTags, { id: 'dj1', tags: ['Bad Tag'] }, /tags/],
      ['engagement', PATTERNS.engagement.record, { post_id: 'dj1', user: 'ann', kind: 'poke' }, /kind/],
    ];
    for (const [service, pattern, payload, field] of cases) {
      const error = await call(service, pattern, payload).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RemoteError);
      expect(error).toMatchObject({ status: 400, message: expect.stringMatching(field) });
    }
  });

  it_('a pattern no handler serves fails fast, or times out where the broker cannot tell', async () => {
    const expected: Record<TransportName, number> = { tcp: 501, rmq: 501, nats: 503, redis: 504, mqtt: 504 };
    const unserved = `search.nobody.listens.${randomBytes(3).toString('hex')}`;
    const error = await (clients.get('search') as ServiceClient)
      .send(unserved, {}, { timeoutMs: 500 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).status).toBe(expected[transport]);
  });

  it_('times out with a 504 when the service takes no answer back in time', async () => {
    // Over NATS, Redis and MQTT a pattern reaches every subscriber of its channel; the test above
    // shows their unanswered case. TCP and RabbitMQ address one service's socket or queue.
    if (transport !== 'tcp' && transport !== 'rmq') return;
    const silent = await silentPeer(transport);
    try {
      const error = await silent.client
        .send(PATTERNS.search.query, { q: 'django' }, { timeoutMs: 300 })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RpcTimeoutError);
      expect(error).toMatchObject({ status: 504 });
    } finally {
      await silent.close();
    }
  });
});

/**
 * A client whose calls reach nobody who answers: over TCP a server that accepts
 * and stays silent; over RabbitMQ a queue no service consumes (its own prefix).
 */
async function silentPeer(transport: TransportName): Promise<{ client: ServiceClient; close: () => Promise<void> }> {
  const env: Record<string, string> = {
    ...(await transportEnv(transport)),
    QUEUE_PREFIX: `silent-${randomBytes(4).toString('hex')}`,
  };
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  if (transport === 'tcp') {
    server = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) =>
      (server as net.Server).listen(Number(env.SEARCH_RPC_PORT), '127.0.0.1', resolve),
    );
  }
  const client = createServiceClient('search', clientEnv(env));
  return {
    client,
    close: async () => {
      await client.close();
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    },
  };
}
