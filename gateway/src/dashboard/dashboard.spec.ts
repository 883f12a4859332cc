import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

describe('dashboard endpoints of the gateway', () => {
  let monolith: Upstream;
  let replica: Upstream;
  let relay: Upstream;
  let broken: Upstream;
  let folder: string;
  let gateway: TestGateway;
  let routes: string;

  beforeAll(async () => {
    monolith = await startUpstream(namedUpstream('monolith'));
    replica = await startUpstream(namedUpstream('replica'));
    broken = await startUpstream((req, res) => {
      res.statusCode = 500;
      res.end('{}');
    });
    relay = await startUpstream((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ at: '2026-01-01T00:00:00.000Z', services: [{ service: 'search', drift: false }] }));
    });
    folder = mkdtempSync(join(tmpdir(), 'strangler-dashboard-'));
    writeFileSync(join(folder, 'index.html'), '<!doctype html><title>dashboard</title>');
    writeFileSync(join(folder, 'map.dot'), 'digraph { gateway -> monolith }\n');
    routes = routesYaml({
      monolithUrl: monolith.url,
      httpTargets: { replica: replica.url, broken: broken.url },
      routes: [
        { name: 'search', target: 'monolith', match: [{ path: '/search', methods: ['GET'] }] },
        { name: 'posts', target: 'replica', match: [{ path: '/posts/:id' }] },
        { name: 'broken', target: 'broken', match: [{ path: '/broken' }] },
      ],
    });
    gateway = await startTestGateway(routes, {
      GATEWAY_UI_DIR: folder,
      GRAPH_DOT_FILE: join(folder, 'map.dot'),
      SYNC_URL: relay.url,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([monolith?.close(), replica?.close(), broken?.close(), relay?.close()]);
    rmSync(folder, { recursive: true, force: true });
  });

  describe('GET /_gateway/overview', () => {
    it('is public and counts requests, 5xx answers and latency per route and target', async () => {
      await request(gateway.url).get('/search?q=a').expect(200);
      await request(gateway.url).get('/search?q=b').expect(200);
      await request(gateway.url).get('/posts/abc').expect(200);
      await request(gateway.url).post('/broken').expect(500);
      const res = await request(gateway.url).get('/_gateway/overview').expect(200);
      expect(res.body).toMatchObject({
        default: 'monolith',
        targets: [
          { name: 'monolith', type: 'http' },
          { name: 'replica', type: 'http' },
          { name: 'broken', type: 'http' },
        ],
        routes: [
          { name: 'search', target: 'monolith' },
          { name: 'posts', target: 'replica' },
          { name: 'broken', target: 'broken' },
        ],
        breakers: { replica: 'closed', broken: 'closed' },
      });
      expect(new Date(res.body.at).getTime()).not.toBeNaN();
      const search = res.body.traffic.find((pair: { route: string }) => pair.route === 'search');
      expect(search).toMatchObject({ target: 'monolith', requests: 2, errors: 0 });
      expect(search.latency).toHaveLength(res.body.latencyBuckets.length);
      expect(search.latency[search.latency.length - 1]).toBe(2);
      expect(res.body.traffic.find((pair: { route: string }) => pair.route === 'posts')).toMatchObject({
        target: 'replica',
        requests: 1,
      });
      expect(res.body.traffic.find((pair: { route: string }) => pair.route === 'broken')).toMatchObject({
        target: 'broken',
        requests: 1,
        errors: 1,
      });
    });
  });

  describe('GET /_gateway/graph.dot', () => {
    it('answers the file npm run graph wrote, as Graphviz text', async () => {
      const res = await request(gateway.url).get('/_gateway/graph.dot').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/vnd\.graphviz/);
      expect(res.text).toBe('digraph { gateway -> monolith }\n');
    });

    it('answers 404 saying to run npm run graph when there is no map yet', async () => {
      const bare = await startTestGateway(routes, { GRAPH_DOT_FILE: join(folder, 'absent.dot') });
      try {
        const res = await request(bare.url).get('/_gateway/graph.dot').expect(404);
        expect(res.body.message).toMatch(/^no dependency map at .*absent\.dot yet: run npm run graph$/);
      } finally {
        await bare.stop();
      }
    });
  });

  describe('GET /_gateway/ui', () => {
    it('serves the built page with a policy that keeps it on its own origin', async () => {
      const res = await request(gateway.url).get('/_gateway/ui/').expect(200);
      expect(res.text).toContain('<title>dashboard</title>');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-served-by']).toBe('gateway');
      await request(gateway.url).get('/_gateway/ui/missing.js').expect(404);
    });

    it('is off, with a 404, when the page is not built', async () => {
      const bare = await startTestGateway(routes, { GATEWAY_UI_DIR: join(folder, 'not-built') });
      try {
        await request(bare.url).get('/_gateway/ui/').expect(404);
        await request(bare.url).get('/_gateway/overview').expect(200);
      } finally {
        await bare.stop();
      }
    });
  });

  describe('GET /_gateway/drift', () => {
    it('needs the admin token', async () => {
      await request(gateway.url).get('/_gateway/drift').expect(401);
    });

    it("answers the relay's drift report", async () => {
      const res = await request(gateway.url).get('/_gateway/drift').set(ADMIN_AUTH).expect(200);
      expect(res.body).toEqual({ at: '2026-01-01T00:00:00.000Z', services: [{ service: 'search', drift: false }] });
    });

    it('answers 503 saying what to do when the gateway does not know the relay', async () => {
      const bare = await startTestGateway(routes);
      try {
        const res = await request(bare.url).get('/_gateway/drift').set(ADMIN_AUTH).expect(503);
        expect(res.body.message).toMatch(/SYNC_URL is unset.*npm run reconcile/);
      } finally {
        await bare.stop();
      }
    });

    it('answers 503 when the relay cannot be reached', async () => {
      const down = await startUpstream(namedUpstream('gone'));
      await down.close();
      const bare = await startTestGateway(routes, { SYNC_URL: down.url });
      try {
        const res = await request(bare.url).get('/_gateway/drift').set(ADMIN_AUTH).expect(503);
        expect(res.body.message).toBe('the relay could not be asked for the drift; try again');
      } finally {
        await bare.stop();
      }
    });
  });
});
