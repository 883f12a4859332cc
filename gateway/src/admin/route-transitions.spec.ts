import { readFileSync } from 'node:fs';
import request from 'supertest';
import { parse } from 'yaml';
import { freePort } from '../../../scripts/lib/store';
import {
  ADMIN_AUTH,
  TestGateway,
  Upstream,
  namedUpstream,
  routesYaml,
  startTestGateway,
  startUpstream,
} from '../../../test/support/gateway';

interface RouteOnDisk {
  name: string;
  target: string;
  mode: string;
  candidate?: string;
  weight?: number;
  shadow?: { sampleRate?: number };
}

describe('route states: monolith -> shadow -> canary -> live, and back', () => {
  let monolith: Upstream;
  let replica: Upstream;
  let gateway: TestGateway;
  let routes: string;
  let downUrl: string;

  const onDisk = (name: string) =>
    (parse(readFileSync(gateway.routesFile, 'utf8')) as { routes: RouteOnDisk[] }).routes.find((r) => r.name === name);
  const post = (path: string, body: object = {}, user = 'erin') =>
    request(gateway.url)
      .post(`/_gateway/routes/${path}`)
      .set({ ...ADMIN_AUTH, 'x-admin-user': user })
      .send(body);

  beforeAll(async () => {
    monolith = await startUpstream(namedUpstream('monolith'));
    replica = await startUpstream(namedUpstream('replica'));
    downUrl = `http://127.0.0.1:${await freePort()}`;
    routes = routesYaml({
      monolithUrl: monolith.url,
      httpTargets: { replica: replica.url, down: downUrl },
      routes: [{ name: 'posts', target: 'monolith', match: [{ path: '/posts/:id' }] }],
    });
  });

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

  it('walks shadow, canary steps and live with promote, writing each state to routes.yaml', async () => {
    let res = await post('posts/shadow', { candidate: 'replica', sampleRate: 0.5, reason: 'compare answers' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'shadow', target: 'monolith', candidate: 'replica', weight: 0 });
    expect(onDisk('posts')).toMatchObject({ mode: 'shadow', candidate: 'replica', shadow: { sampleRate: 0.5 } });

    const weights: number[] = [];
    for (;;) {
      res = await post('posts/promote');
      expect(res.status).toBe(200);
      if (res.body.state !== 'canary') break;
      weights.push(res.body.weight);
      expect(onDisk('posts')).toMatchObject({ mode: 'canary', candidate: 'replica', weight: res.body.weight });
    }
    expect(weights).toEqual([5, 25, 50, 100]);
    expect(res.body).toMatchObject({ state: 'live', target: 'replica', candidate: null, weight: 0 });
    expect(onDisk('posts')).toEqual(expect.not.objectContaining({ candidate: expect.anything() }));
    const served = await request(gateway.url).get('/posts/a').expect(200);
    expect(served.headers['x-served-by']).toBe('replica');
    await post('posts/promote').expect(409);
  });

  it('rolls a canary back to its target in one step, and a live route back to the monolith', async () => {
    await post('posts/canary', { candidate: 'replica', weight: 30 }).expect(200);
    let res = await post('posts/rollback', { reason: 'pager went off' }).expect(200);
    expect(res.body).toMatchObject({ state: 'monolith', target: 'monolith', candidate: null });
    expect(onDisk('posts')).toEqual({ name: 'posts', match: expect.anything(), target: 'monolith', mode: 'live' });

    await request(gateway.url).put('/_gateway/routes/posts').set(ADMIN_AUTH).send({ target: 'replica' }).expect(200);
    res = await post('posts/rollback').expect(200);
    expect(res.body).toMatchObject({ state: 'monolith', target: 'monolith' });
    const refused = await post('posts/rollback').expect(409);
    expect(refused.body.message).toBe('route posts is already on monolith with no candidate: nothing to roll back');
  });

  it('records who, when and why of every transition in the audit log', async () => {
    await post('posts/shadow', { candidate: 'replica', reason: 'compare answers' }).expect(200);
    await post('posts/canary', { candidate: 'replica', weight: 10 }, 'frank').expect(200);
    const { body } = await request(gateway.url).get('/_gateway/audit?limit=2').set(ADMIN_AUTH).expect(200);
    expect(body.items).toEqual([
      expect.objectContaining({ who: 'frank', state: 'canary', candidate: 'replica', weight: 10, why: null }),
      expect.objectContaining({
        who: 'erin',
        principal: 'admin-token',
        route: 'posts',
        from: 'monolith',
        to: 'monolith',
        mode: 'shadow',
        state: 'shadow',
        candidate: 'replica',
        weight: 0,
        why: 'compare answers',
      }),
    ]);
  });

  it.each([
    [
      'shadow',
      { candidate: 'nope' },
      400,
      /candidate "nope" is not declared in routes.yaml \(declared: monolith, replica, down\)/,
    ],
    ['shadow', { candidate: 'monolith' }, 400, /candidate "monolith" is already the target of route posts/],
    ['shadow', { candidate: 'replica', sampleRate: 2 }, 400, /sampleRate must be a number from 0 to 1/],
    ['canary', { candidate: 'replica' }, 400, /weight must be a whole percent from 0 to 100/],
    ['canary', { candidate: 'replica', weight: 101 }, 400, /weight must be a whole percent/],
    ['canary', { candidate: 'replica', weight: 10, extra: 1 }, 400, /property extra should not exist/],
    [
      'canary',
      { candidate: 'down', weight: 10 },
      503,
      /candidate down is not healthy \(GET \/health failed: ECONNREFUSED\)/,
    ],
    ['promote', {}, 409, /route posts is monolith: only a shadow or a canary can be promoted/],
    ['shadow', { candidate: 'replica', reason: '' }, 400, /reason must be a text of 1 to 200 characters/],
  ])('refuses %s %j with %d and the reason', async (verb, body, status, message) => {
    const res = await post(`posts/${verb}`, body);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ statusCode: status, message: expect.stringMatching(message) });
    expect(onDisk('posts')).toMatchObject({ target: 'monolith', mode: 'live' });
  });

  it('answers 404 for a transition of an unknown route', async () => {
    await post('nope/canary', { candidate: 'replica', weight: 5 }).expect(404);
  });
});
