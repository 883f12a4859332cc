import { readFileSync, readdirSync } from 'node:fs';
import request from 'supertest';
import { parse } from 'yaml';
import {
  ADMIN_AUTH,
  ADMIN_TOKEN,
  TestGateway,
  Upstream,
  namedUpstream,
  routesYaml,
  startTestGateway,
  startUpstream,
} from '../../../test/support/gateway';

describe('gateway admin API', () => {
  let monolith: Upstream;
  let replica: Upstream;
  let gateway: TestGateway;
  let routes: string;

  const routesOnDisk = () =>
    (parse(readFileSync(gateway.routesFile, 'utf8')) as { routes: { name: string; target: string; mode: string }[] })
      .routes;

  beforeAll(async () => {
    monolith = await startUpstream(namedUpstream('monolith'));
    replica = await startUpstream(namedUpstream('replica'));
    routes = routesYaml({
      monolithUrl: monolith.url,
      httpTargets: { replica: replica.url },
      rpcTargets: ['search'],
      routes: [
        { name: 'search', target: 'monolith', match: [{ path: '/search', methods: ['GET'] }] },
        { name: 'posts', target: 'monolith', match: [{ path: '/posts/:id' }] },
      ],
    });
  });

  // Each case starts from the routes above with an empty audit log, whatever ran before it.
  beforeEach(async () => {
    gateway = await startTestGateway(routes);
  });

  afterEach(async () => {
    await gateway?.stop();
  });

  afterAll(async () => {
    await monolith?.close();
    await replica?.close();
  });

  describe('authorization', () => {
    it.each([
      ['no Authorization header', {}],
      ['another scheme', { authorization: `Basic ${ADMIN_TOKEN}` }],
    ])('answers 401 with a Bearer challenge for %s', async (_, headers) => {
      const res = await request(gateway.url).get('/_gateway/routes').set(headers).expect(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect(res.headers['x-served-by']).toBe('gateway');
    });

    it.each([
      ['a wrong token', 'Bearer not-the-token'],
      ['a token of another length', `Bearer ${ADMIN_TOKEN}x`],
    ])('answers 403 for %s', async (_, authorization) => {
      const res = await request(gateway.url)
        .put('/_gateway/routes/search')
        .set({ authorization })
        .send({ target: 'replica' });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: 'the admin token is wrong' });
    });

    it('refuses a Host that is not a configured name, whatever the token (DNS rebinding)', async () => {
      const res = await request(gateway.url)
        .get('/_gateway/routes')
        .set({ ...ADMIN_AUTH, host: 'attacker.example:3000' })
        .expect(403);
      expect(res.body.message).toBe('the admin API answers only to the host names in GATEWAY_ADMIN_HOSTS');
      await request(gateway.url)
        .get('/_gateway/routes')
        .set({ ...ADMIN_AUTH, host: 'LOCALHOST:3000' })
        .expect(200);
      await request(gateway.url).get('/_gateway/health').set({ host: 'attacker.example' }).expect(200);
    });

    it('rate-limits admin calls per client with 429 and Retry-After, tokens right or wrong', async () => {
      const limited = await startTestGateway(routes, { ADMIN_RATE_LIMIT: '3' });
      try {
        await request(limited.url).get('/_gateway/routes').set(ADMIN_AUTH).expect(200);
        await request(limited.url).get('/_gateway/routes').set({ authorization: 'Bearer wrong-token' }).expect(403);
        await request(limited.url).get('/_gateway/audit').set(ADMIN_AUTH).expect(200);
        const res = await request(limited.url).get('/_gateway/routes').set(ADMIN_AUTH).expect(429);
        expect(res.body).toMatchObject({
          statusCode: 429,
          message: 'too many admin requests: at most 3 a minute; retry later',
        });
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        await request(limited.url).get('/_gateway/health').expect(200);
      } finally {
        await limited.stop();
      }
    });

    it('guards the audit log too', async () => {
      await request(gateway.url).get('/_gateway/audit').expect(401);
    });

    it('keeps health and metrics public', async () => {
      await request(gateway.url).get('/_gateway/health').expect(200);
      await request(gateway.url).get('/_gateway/metrics').expect(200);
    });

    it('leaves the admin API off when the gateway has no token, and health and metrics on', async () => {
      const tokenless = await startTestGateway(routes, { GATEWAY_ADMIN_TOKEN: '' });
      try {
        const res = await request(tokenless.url).get('/_gateway/routes').set(ADMIN_AUTH).expect(404);
        expect(res.body.message).toMatch(/admin API is off/);
        await request(tokenless.url)
          .put('/_gateway/routes/search')
          .set(ADMIN_AUTH)
          .send({ target: 'replica' })
          .expect(404);
        await request(tokenless.url).get('/_gateway/health').expect(200);
        await request(tokenless.url).get('/_gateway/metrics').expect(200);
      } finally {
        await tokenless.stop();
      }
    });
  });

  describe('GET /_gateway/routes', () => {
    it('lists the table with targets, routes and the last reload', async () => {
      const res = await request(gateway.url).get('/_gateway/routes').set(ADMIN_AUTH).expect(200);
      expect(res.body).toMatchObject({
        file: gateway.routesFile,
        default: 'monolith',
        targets: [
          { name: 'monolith', type: 'http', url: monolith.url },
          { name: 'replica', type: 'http', url: replica.url },
          { name: 'search', type: 'rpc' },
        ],
        routes: [
          { name: 'search', target: 'monolith', mode: 'live', match: [{ path: '/search', methods: ['GET'] }] },
          { name: 'posts', target: 'monolith', mode: 'live', match: [{ path: '/posts/:id' }] },
        ],
        lastReload: { ok: true },
      });
    });

    it('answers 404 for an unknown route', async () => {
      const res = await request(gateway.url).get('/_gateway/routes/nope').set(ADMIN_AUTH).expect(404);
      expect(res.body.message).toBe('route nope is not in routes.yaml');
    });
  });

  describe('PUT /_gateway/routes/:name', () => {
    it.each([
      [{}, /target must be the name of a target/],
      [{ target: 'serch' }, /target "serch" is not declared in routes.yaml \(declared: monolith, replica, search\)/],
      [{ target: 'replica', mode: 'shadow' }, /mode must be live; shadow and canary have their own calls/],
      [{ target: 'replica', weight: 10 }, /property weight should not exist/],
      [{ target: 42 }, /target must be the name/],
    ])('rejects %j with a 400 giving the reason', async (body, reason) => {
      const res = await request(gateway.url).put('/_gateway/routes/posts').set(ADMIN_AUTH).send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message).toMatch(reason);
      expect(routesOnDisk().find((r) => r.name === 'posts')?.target).toBe('monolith');
    });

    it('rejects a malformed route name with a 400 and an unknown one with a 404', async () => {
      await request(gateway.url)
        .put('/_gateway/routes/Bad_Name')
        .set(ADMIN_AUTH)
        .send({ target: 'replica' })
        .expect(400);
      await request(gateway.url).put('/_gateway/routes/nope').set(ADMIN_AUTH).send({ target: 'replica' }).expect(404);
    });

    it('switches the route, writes routes.yaml with its comments kept, and traffic follows', async () => {
      const res = await request(gateway.url)
        .put('/_gateway/routes/posts')
        .set({ ...ADMIN_AUTH, 'x-admin-user': 'alice' })
        .send({ target: 'replica', mode: 'live' })
        .expect(200);
      expect(res.body).toMatchObject({ name: 'posts', target: 'replica', mode: 'live', previous: 'monolith' });

      const text = readFileSync(gateway.routesFile, 'utf8');
      expect(text.startsWith('# routes of a test gateway')).toBe(true);
      expect(routesOnDisk().map((r) => [r.name, r.target, r.mode])).toEqual([
        ['search', 'monolith', 'live'],
        ['posts', 'replica', 'live'],
      ]);

      const served = await request(gateway.url).get('/posts/abc').expect(200);
      expect(served.headers['x-served-by']).toBe('replica');
      expect(served.body.answeredBy).toBe('replica');
    });

    it('writes the file atomically, leaving no temp file behind', async () => {
      await request(gateway.url).put('/_gateway/routes/posts').set(ADMIN_AUTH).send({ target: 'replica' }).expect(200);
      expect(readdirSync(gateway.dir).sort()).toEqual(['routes.audit.jsonl', 'routes.yaml']);
    });
  });

  describe('POST /_gateway/routes/:name/rollback', () => {
    it('sends the route back to its previous target', async () => {
      await request(gateway.url).put('/_gateway/routes/posts').set(ADMIN_AUTH).send({ target: 'replica' }).expect(200);
      const res = await request(gateway.url).post('/_gateway/routes/posts/rollback').set(ADMIN_AUTH).expect(200);
      expect(res.body).toMatchObject({ name: 'posts', target: 'monolith', previous: 'replica' });
      expect(routesOnDisk().find((r) => r.name === 'posts')?.target).toBe('monolith');
      const served = await request(gateway.url).get('/posts/abc').expect(200);
      expect(served.headers['x-served-by']).toBe('monolith');
    });

    it('answers 409 when the route is on the monolith with no candidate', async () => {
      const res = await request(gateway.url).post('/_gateway/routes/search/rollback').set(ADMIN_AUTH).expect(409);
      expect(res.body.message).toBe('route search is already on monolith with no candidate: nothing to roll back');
    });
  });

  describe('POST /_gateway/routes/reset', () => {
    it('sends every route to the default target', async () => {
      await request(gateway.url).put('/_gateway/routes/search').set(ADMIN_AUTH).send({ target: 'search' }).expect(200);
      await request(gateway.url).put('/_gateway/routes/posts').set(ADMIN_AUTH).send({ target: 'replica' }).expect(200);
      const res = await request(gateway.url)
        .post('/_gateway/routes/reset')
        .set({ ...ADMIN_AUTH, 'x-admin-user': 'bob' })
        .expect(200);
      expect(res.body.routes.map((r: { target: string }) => r.target)).toEqual(['monolith', 'monolith']);
      expect(routesOnDisk().map((r) => r.target)).toEqual(['monolith', 'monolith']);
    });
  });

  describe('GET /_gateway/audit', () => {
    it('lists who changed which route when, from and to, newest first', async () => {
      await request(gateway.url).put('/_gateway/routes/search').set(ADMIN_AUTH).send({ target: 'search' }).expect(200);
      await request(gateway.url).put('/_gateway/routes/posts').set(ADMIN_AUTH).send({ target: 'replica' }).expect(200);
      await request(gateway.url)
        .post('/_gateway/routes/reset')
        .set({ ...ADMIN_AUTH, 'x-admin-user': 'bob' })
        .expect(200);
      const res = await request(gateway.url).get('/_gateway/audit?limit=3').set(ADMIN_AUTH).expect(200);
      const principal = 'admin-token';
      expect(res.body.items).toEqual([
        {
          at: expect.any(String),
          who: 'bob',
          principal,
          route: 'posts',
          from: 'replica',
          to: 'monolith',
          mode: 'live',
          state: 'monolith',
          candidate: null,
          weight: 0,
          why: null,
        },
        {
          at: expect.any(String),
          who: 'bob',
          principal,
          route: 'search',
          from: 'search',
          to: 'monolith',
          mode: 'live',
          state: 'monolith',
          candidate: null,
          weight: 0,
          why: null,
        },
        {
          at: expect.any(String),
          who: 'admin',
          principal,
          route: 'posts',
          from: 'monolith',
          to: 'replica',
          mode: 'live',
          state: 'live',
          candidate: null,
          weight: 0,
          why: null,
        },
      ]);
      expect(new Date(res.body.items[0].at).getTime()).not.toBeNaN();
    });

    it.each(['file', 'cli', 'CLI', 'gateway'])(
      'refuses x-admin-user %s, a name the system uses for itself',
      async (name) => {
        const res = await request(gateway.url)
          .put('/_gateway/routes/posts')
          .set({ ...ADMIN_AUTH, 'x-admin-user': name })
          .send({ target: 'replica' })
          .expect(400);
        expect(res.body.message).toBe('x-admin-user cannot be file or cli or gateway: those name the system itself');
      },
    );

    it('records the authenticated principal beside the claimed name', async () => {
      await request(gateway.url)
        .put('/_gateway/routes/posts')
        .set({ ...ADMIN_AUTH, 'x-admin-user': 'bob' })
        .send({ target: 'replica' })
        .expect(200);
      const res = await request(gateway.url).get('/_gateway/audit?limit=1').set(ADMIN_AUTH).expect(200);
      expect(res.body.items[0]).toMatchObject({ who: 'bob', principal: 'admin-token' });
    });

    it('rejects a bad limit and a bad x-admin-user', async () => {
      await request(gateway.url).get('/_gateway/audit?limit=0').set(ADMIN_AUTH).expect(400);
      const res = await request(gateway.url)
        .put('/_gateway/routes/posts')
        .set({ ...ADMIN_AUTH, 'x-admin-user': 'bad user!' })
        .send({ target: 'replica' })
        .expect(400);
      expect(res.body.message).toMatch(/x-admin-user/);
    });

    it('keeps the history, and so rollbacks, across a restart', async () => {
      await request(gateway.url).put('/_gateway/routes/posts').set(ADMIN_AUTH).send({ target: 'replica' }).expect(200);
      await request(gateway.url).put('/_gateway/routes/posts').set(ADMIN_AUTH).send({ target: 'monolith' }).expect(200);
      const before = (await request(gateway.url).get('/_gateway/audit').set(ADMIN_AUTH).expect(200)).body.items;
      await gateway.close();
      gateway = await startTestGateway(routes, {}, gateway.dir);
      const after = await request(gateway.url).get('/_gateway/audit').set(ADMIN_AUTH).expect(200);
      expect(after.body.items).toEqual(before);
      const posts = await request(gateway.url).get('/_gateway/routes/posts').set(ADMIN_AUTH).expect(200);
      expect(posts.body.previous).toBe('replica');
    });
  });
});
