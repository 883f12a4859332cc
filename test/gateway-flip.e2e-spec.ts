import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { Stack, startStack } from '../scripts/lib/stack';
import { eventually } from '@app/platform';
import { callGateway } from './support/gateway';

const TOKEN = 'flip-test-token';
const ROUTES = path.resolve(__dirname, '..', 'gateway', 'routes.yaml');

describe('flipping routes between the monolith and the extracted services', () => {
  let dataDir: string;
  let routesFile: string;
  let stack: Stack | undefined;
  let gateway: string;
  const postIds: string[] = [];

  const call = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    callGateway(gateway, method, url, body, headers);

  const admin = (method: string, url: string, body?: unknown) =>
    call(method, `/_gateway${url}`, body, { authorization: `Bearer ${TOKEN}` });
  const targetOnDisk = (route: string) =>
    (parse(fs.readFileSync(routesFile, 'utf8')) as { routes: { name: string; target: string }[] }).routes.find(
      (entry) => entry.name === route,
    )?.target;

  /** Waits until every outbox is drained and every consumer has caught up with the stream. */
  async function settled(): Promise<void> {
    const sync = (stack as Stack).url('sync');
    type SyncHealth = { position: number; pending: number; checkpoints: Record<string, number> };
    const caughtUp = (body: SyncHealth) =>
      body.pending === 0 &&
      ['search', 'recommendations', 'tagging', 'engagement', 'monolith'].every(
        (name) => body.checkpoints[name] === body.position,
      );
    const health = await eventually(
      async () => (await fetch(`${sync}/health`)).json() as Promise<SyncHealth>,
      caughtUp,
      60_000,
    );
    expect(caughtUp(health)).toBe(true);
  }

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-flip-'));
    routesFile = path.join(dataDir, 'routes.yaml');
    fs.copyFileSync(ROUTES, routesFile);
    stack = await startStack({
      dataDir,
      randomPorts: true,
      env: {
        LOG_LEVEL: 'warn',
        SYNC_POLL_MS: '50',
        ROUTES_FILE: routesFile,
        GATEWAY_ADMIN_TOKEN: TOKEN,
        CUTOVER_TIMEOUT_MS: '5000',
      },
    });
    gateway = stack.url('gateway');
    const topics = [
      'Django ORM tips',
      'Flask blueprints',
      'asyncio gather explained',
      'pytest fixtures',
      'pandas groupby',
    ];
    for (let i = 0; i < 30; i++) {
      const created = await call('POST', '/posts', {
        title: `${topics[i % topics.length]} part ${i}`,
        author: `author${i % 4}`,
      });
      postIds.push((created.body as { id: string }).id);
    }
    await call('PUT', `/posts/${postIds[0]}/tags`, { tags: ['orm', 'favourite'] });
    await call('PUT', '/users/ann/preferences', { tags: ['django'], hiddenTags: ['pandas'] });
    await call('POST', `/posts/${postIds[1]}/hide`, { user: 'ann' });
    await call('POST', `/posts/${postIds[2]}/likes`, { user: 'bob' });
    await settled();
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const cases: Array<[route: string, service: string, urls: () => string[]]> = [
    ['search', 'search', () => ['/search?q=djan', '/search?q=part+1&limit=5&page=2']],
    ['recommendations', 'recommendations', () => ['/recommendations', '/users/ann/recommendations?limit=5']],
    [
      'tags',
      'tagging',
      () => ['/tags', '/tags/django/posts?limit=3', `/posts/${postIds[0]}/tags`, '/users/ann/preferences'],
    ],
    ['engagement', 'engagement', () => [`/posts/${postIds[2]}/stats`]],
  ];

  it.each(cases)(
    'flips %s to the %s service and back without changing a body',
    async (route, service, urls) => {
      const before = await Promise.all(urls().map((url) => call('GET', url)));
      before.forEach((answer) => expect(answer).toMatchObject({ status: 200, servedBy: 'monolith' }));

      expect(await admin('PUT', `/routes/${route}`, { target: service, mode: 'live' })).toMatchObject({ status: 200 });
      expect(targetOnDisk(route)).toBe(service);
      const flipped = await eventually(
        () => Promise.all(urls().map((url) => call('GET', url))),
        (answers) => answers.every((answer) => answer.servedBy === service),
      );
      flipped.forEach((answer, index) => {
        expect(answer).toMatchObject({ status: 200, servedBy: service, fallback: null });
        expect(answer.body).toEqual(before[index].body);
      });

      expect(await admin('POST', `/routes/${route}/rollback`)).toMatchObject({ status: 200 });
      expect(targetOnDisk(route)).toBe('monolith');
      const back = await Promise.all(urls().map((url) => call('GET', url)));
      back.forEach((answer, index) =>
        expect(answer).toMatchObject({ status: 200, servedBy: 'monolith', body: before[index].body }),
      );
    },
    120_000,
  );

  it('keeps every request answered and every write once while a route flips 20 times under load', async () => {
    const target = postIds[5];
    let running = true;
    let failures = 0;
    let requests = 0;
    const likers = new Set<string>();
    /** Reads right after a flip that missed likes acknowledged before it. */
    const stale: { flip: number; servedBy: string | null; likes: number; acknowledged: number }[] = [];
    const reader = async () => {
      while (running) {
        const answer = await call('GET', '/search?q=django');
        requests += 1;
        if (answer.status !== 200) failures += 1;
      }
    };
    const writer = async (lane: number) => {
      for (let i = 0; running; i++) {
        const user = `fan${lane}-${i % 40}`;
        const answer = await call('POST', `/posts/${target}/likes`, { user });
        requests += 1;
        if (answer.status === 202) likers.add(user);
        else failures += 1;
      }
    };
    const flipper = async () => {
      for (let i = 0; i < 20; i++) {
        const to = i % 2 === 0 ? 'engagement' : 'monolith';
        expect((await admin('PUT', '/routes/engagement', { target: to, mode: 'live' })).status).toBe(200);
        const acknowledged = likers.size;
        const stats = await call('GET', `/posts/${target}/stats`);
        const likes = (stats.body as { likes: number }).likes;
        if (stats.servedBy !== to || likes < acknowledged)
          stale.push({ flip: i, servedBy: stats.servedBy, likes, acknowledged });
        expect(
          (await admin('PUT', '/routes/search', { target: i % 2 === 0 ? 'search' : 'monolith', mode: 'live' })).status,
        ).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      running = false;
    };
    await Promise.all([reader(), reader(), writer(1), writer(2), flipper()]);
    expect(requests).toBeGreaterThan(40);
    expect(failures).toBe(0);
    expect(stale).toEqual([]);

    // No waiting for the relay here: each flip is itself the wait.
    const expected = { likes: likers.size, shares: 0, hides: 0 };
    expect(await admin('PUT', '/routes/engagement', { target: 'engagement', mode: 'live' })).toMatchObject({
      status: 200,
    });
    expect(await call('GET', `/posts/${target}/stats`)).toMatchObject({ servedBy: 'engagement', body: expected });
    expect(await admin('PUT', '/routes/engagement', { target: 'monolith', mode: 'live' })).toMatchObject({
      status: 200,
    });
    expect(await call('GET', `/posts/${target}/stats`)).toMatchObject({ servedBy: 'monolith', body: expected });
  }, 120_000);

  it('refuses to flip a write route to a service that has not caught up, and keeps the old owner live', async () => {
    const running = stack as Stack;
    running.kill('engagement', 'SIGKILL');
    expect(await call('POST', `/posts/${postIds[4]}/likes`, { user: 'kim' })).toMatchObject({ status: 202 });

    const refused = await admin('PUT', '/routes/engagement', { target: 'engagement', mode: 'live' });
    expect(refused.status).toBe(504);
    expect((refused.body as { message: string }).message).toMatch(
      /^route engagement was not moved to engagement: engagement did not catch up within \d+ ms/,
    );
    expect(targetOnDisk('engagement')).toBe('monolith');
    expect(await call('GET', `/posts/${postIds[4]}/stats`)).toMatchObject({ status: 200, servedBy: 'monolith' });

    await running.restart('engagement');
    expect(await admin('PUT', '/routes/engagement', { target: 'engagement', mode: 'live' })).toMatchObject({
      status: 200,
    });
    expect(await call('GET', `/posts/${postIds[4]}/stats`)).toMatchObject({
      servedBy: 'engagement',
      body: { likes: 1, shares: 0, hides: 0 },
    });
    expect(await admin('PUT', '/routes/engagement', { target: 'monolith', mode: 'live' })).toMatchObject({
      status: 200,
    });
  }, 120_000);

  it('falls back to the monolith for reads and refuses writes with 503 while a service is down', async () => {
    const running = stack as Stack;
    await admin('PUT', '/routes/search', { target: 'search', mode: 'live' });
    await admin('PUT', '/routes/engagement', { target: 'engagement', mode: 'live' });
    await eventually(
      () => call('GET', '/search?q=flask'),
      (answer) => answer.servedBy === 'search',
    );

    running.kill('search', 'SIGKILL');
    running.kill('engagement', 'SIGKILL');
    for (let i = 0; i < 8; i++) {
      const read = await call('GET', '/search?q=flask');
      expect(read).toMatchObject({ status: 200, servedBy: 'monolith', fallback: 'search' });
    }
    const write = await call('POST', `/posts/${postIds[3]}/likes`, { user: 'zed' });
    expect(write.status).toBe(503);
    expect(write.body).toMatchObject({ statusCode: 503, message: expect.stringMatching(/not applied/) });

    await running.restart('search');
    await running.restart('engagement');
    const recovered = await eventually(
      () => call('GET', '/search?q=flask'),
      (answer) => answer.servedBy === 'search',
      30_000,
    );
    expect(recovered).toMatchObject({ status: 200, servedBy: 'search', fallback: null });
    await admin('POST', '/routes/reset');
  }, 120_000);
});
