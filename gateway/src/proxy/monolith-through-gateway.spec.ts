import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { aPost, insertPosts } from '../../../test/support/builders';
import { TestGateway, send, startTestGateway } from '../../../test/support/gateway';
import { createMonolithApp } from '../../../test/support/monolith-app';
import { openTestDb } from '../../../test/support/store';
import { REPO_ROOT } from '../gateway.config';

describe('the monolith behind the gateway', () => {
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  let monolith: INestApplication;
  let monolithUrl: string;
  let gateway: TestGateway;

  beforeAll(async () => {
    testDb = await openTestDb('gateway_monolith');
    monolith = await createMonolithApp(testDb.dbName);
    await monolith.listen(0, '127.0.0.1');
    monolithUrl = await monolith.getUrl();
    await insertPosts(testDb.db, [aPost({ id: 'p1', created_utc: 100 }), aPost({ id: 'p2', created_utc: 200 })]);
    const shipped = readFileSync(join(REPO_ROOT, 'gateway', 'routes.yaml'), 'utf8');
    gateway = await startTestGateway(shipped, { MONOLITH_URL: monolithUrl });
  });

  afterAll(async () => {
    await gateway?.stop();
    await monolith?.close();
    await testDb?.close();
  });

  it('answers GET /posts exactly as the monolith does, tagged with who served it', async () => {
    const direct = await send(`${monolithUrl}/posts?limit=1&page=2`);
    const proxied = await send(`${gateway.url}/posts?limit=1&page=2`);
    expect(proxied.status).toBe(200);
    expect(proxied.body.equals(direct.body)).toBe(true);
    expect(JSON.parse(proxied.body.toString()).items.map((p: { id: string }) => p.id)).toEqual(['p1']);
    expect(proxied.headers['x-served-by']).toBe('monolith');
  });

  it('creates a post through the gateway: 201, Location, and the same request id end to end', async () => {
    const body = JSON.stringify({ title: 'Through the gateway', author: 'gw' });
    const res = await send(`${gateway.url}/posts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'create-1' },
      body,
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/posts/${JSON.parse(res.body.toString()).id}`);
    expect(res.headers['x-request-id']).toBe('create-1');
    const fetched = await send(`${gateway.url}${res.headers.location}`);
    expect(JSON.parse(fetched.body.toString())).toMatchObject({ title: 'Through the gateway', author: 'gw' });
  });

  it.each<[string, { method: string; path: string; body?: string }, number]>([
    ['an invalid body', { method: 'POST', path: '/posts', body: '{"author":"gw"}' }, 400],
    ['an unknown id', { method: 'GET', path: '/posts/nope' }, 404],
    [
      'an over-limit body',
      {
        method: 'POST',
        path: '/posts',
        body: JSON.stringify({ title: 'x', author: 'gw', selftext: 'y'.repeat(200_000) }),
      },
      413,
    ],
    ['an operator in the query', { method: 'GET', path: '/posts?limit[$gt]=1' }, 400],
  ])('passes the monolith’s JSON error for %s through', async (_, { method, path, body }, status) => {
    const res = await send(`${gateway.url}${path}`, { method, body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body.toString())).toMatchObject({ statusCode: status });
    expect(res.headers['x-served-by']).toBe('monolith');
  });
});
