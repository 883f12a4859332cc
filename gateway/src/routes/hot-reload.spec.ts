import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import {
  ADMIN_AUTH,
  TestGateway,
  Upstream,
  namedUpstream,
  routesYaml,
  startTestGateway,
  startUpstream,
} from '../../../test/support/gateway';
import { eventually } from '@app/platform';

describe('routes.yaml hot reload', () => {
  let monolith: Upstream;
  let replica: Upstream;
  let gateway: TestGateway;

  const table = (postsTarget: string) =>
    routesYaml({
      monolithUrl: monolith.url,
      httpTargets: { replica: replica.url },
      routes: [{ name: 'posts', target: postsTarget, match: [{ path: '/posts/:id', methods: ['GET'] }] }],
    });
  const servedBy = async () => (await request(gateway.url).get('/posts/abc')).headers['x-served-by'];
  const lastReload = async () => (await request(gateway.url).get('/_gateway/routes').set(ADMIN_AUTH)).body.lastReload;

  beforeAll(async () => {
    monolith = await startUpstream(namedUpstream('monolith'));
    replica = await startUpstream(namedUpstream('replica'));
  });

  // Each case starts from a valid table sending posts to the monolith.
  beforeEach(async () => {
    gateway = await startTestGateway(table('monolith'));
  });

  afterEach(async () => {
    await gateway?.stop();
  });

  /** Writes a table naming an undeclared target and waits until the gateway has refused it. */
  async function breakTheFile(): Promise<{ ok: boolean; error?: string }> {
    writeFileSync(gateway.routesFile, table('replica').replace('target: replica', 'target: nowhere'));
    return eventually(lastReload, (reload) => reload.ok === false);
  }

  afterAll(async () => {
    await monolith?.close();
    await replica?.close();
  });

  it('picks up a valid edit written in place', async () => {
    expect(await servedBy()).toBe('monolith');
    writeFileSync(gateway.routesFile, table('replica'));
    expect(await eventually(servedBy, (by) => by === 'replica')).toBe('replica');
  });

  it('picks up a file replaced by rename, as editors save', async () => {
    const temp = join(gateway.dir, 'routes.yaml.swp');
    writeFileSync(temp, table('replica'));
    renameSync(temp, gateway.routesFile);
    expect(await eventually(servedBy, (by) => by === 'replica')).toBe('replica');
  });

  it('rejects an invalid edit, says why, and keeps the last good table live', async () => {
    const outcome = await breakTheFile();
    expect(outcome).toMatchObject({
      ok: false,
      error: expect.stringMatching(/routes\[0\] \(posts\)\.target: "nowhere" is not a declared target/),
    });
    expect(await servedBy()).toBe('monolith');

    const metrics = await request(gateway.url).get('/_gateway/metrics');
    expect(metrics.text).toMatch(/gateway_route_reloads_total\{result="failed"[^}]*\} [1-9]/);
  });

  it('refuses admin changes while the file on disk is invalid', async () => {
    await breakTheFile();
    const res = await request(gateway.url)
      .put('/_gateway/routes/posts')
      .set(ADMIN_AUTH)
      .send({ target: 'replica' })
      .expect(409);
    expect(res.body.message).toMatch(/^routes file has errors, fix or revert it first: .*"nowhere"/);
  });

  it('applies the file again once it is fixed, and audits file edits as made by "file"', async () => {
    await breakTheFile();
    writeFileSync(gateway.routesFile, table('replica'));
    expect(await eventually(servedBy, (by) => by === 'replica')).toBe('replica');
    expect((await lastReload()).ok).toBe(true);
    // The audit line is appended just after the table goes live.
    const latestAudit = async () =>
      (await request(gateway.url).get('/_gateway/audit?limit=1').set(ADMIN_AUTH).expect(200)).body.items;
    expect(await eventually(latestAudit, (items) => items[0]?.to === 'replica')).toEqual([
      {
        at: expect.any(String),
        who: 'file',
        principal: 'file',
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
  });
});
