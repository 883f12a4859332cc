import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { driveLoad, endpointResult, ResponseObserver } from './measure';
import type { EndpointSpec, Workload } from './scenarios';
import { anAutocannonResult } from './testing/fixtures';

const workload: Workload = { postIds: ['a1', 'b2', 'c3'], terms: ['pyt'], tags: ['python'], words: ['python'] };

describe('endpointResult', () => {
  const raw = anAutocannonResult({
    total: 1234,
    duration: 10.02,
    p50: 3,
    p90: 7,
    p99: 19,
    max: 80,
    non2xx: 4,
    errors: 2,
  });
  const spec: EndpointSpec = {
    name: 'GET /search',
    method: 'GET',
    route: 'search',
    weight: 1,
    build: () => ({ path: '/search?q=x' }),
  };
  const result = endpointResult(spec, 6, raw, { servedBy: { search: 1200, monolith: 34 }, fallbacks: 34 });

  it('takes the request count, latency percentiles, non-2xx and errors from autocannon as they are', () => {
    expect(result.requests).toBe(raw.requests.total);
    expect(result.latencyMs).toEqual({
      p50: raw.latency.p50,
      p90: raw.latency.p90,
      p99: raw.latency.p99,
      max: raw.latency.max,
      mean: raw.latency.mean,
    });
    expect([result.non2xx, result.errors, result.timeouts]).toEqual([raw.non2xx, raw.errors, raw.timeouts]);
  });

  it('computes requests per second over autocannon’s own duration', () => {
    expect(result.rps).toBeCloseTo(1234 / 10.02, 10);
  });

  it('flattens the status codes and keeps the served-by tally, the route and the raw figures', () => {
    expect(result.statusCodes).toEqual({ '200': 1230, '503': 4 });
    expect(result.servedBy).toEqual({ search: 1200, monolith: 34 });
    expect(result.fallbacks).toBe(34);
    expect(result.route).toBe('search');
    expect(result.connections).toBe(6);
    expect(result.autocannon.requests.total).toBe(1234);
    expect(result.autocannon.latency.p99).toBe(19);
  });
});

describe('driveLoad', () => {
  let server: Server;
  let baseUrl: string;
  const seen: { method: string; url: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', body });
        if (req.url?.startsWith('/broken')) {
          res.writeHead(503, { 'x-served-by': 'gateway' }).end('{}');
          return;
        }
        res
          .writeHead(200, {
            'x-served-by': 'monolith',
            ...(req.url?.startsWith('/fallback') ? { 'x-fallback': 'search' } : {}),
          })
          .end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const endpoints: EndpointSpec[] = [
    {
      name: 'GET /posts/:id',
      method: 'GET',
      weight: 1,
      build: (random, w) => ({ path: `/posts/${random.pick(w.postIds)}` }),
    },
    { name: 'GET /fallback', method: 'GET', weight: 1, build: () => ({ path: '/fallback' }) },
    { name: 'POST /broken', method: 'POST', weight: 1, build: () => ({ path: '/broken', body: '{"user":"u1"}' }) },
  ];

  it('runs every endpoint, stops at the request cap, and tallies statuses, served-by and fallbacks per endpoint', async () => {
    const observed: string[] = [];
    const observer: ResponseObserver = { response: (endpoint) => observed.push(endpoint), error: () => undefined };
    const results = await driveLoad({
      baseUrl,
      endpoints,
      workload,
      connections: 3,
      durationSeconds: 5,
      maxRequests: 40,
      seed: 1,
      observer,
    });

    expect(results.map((r) => r.name)).toEqual(['GET /posts/:id', 'GET /fallback', 'POST /broken']);
    const [posts, fallback, broken] = results;
    expect(posts.requests).toBe(40);
    expect(posts.servedBy).toEqual({ monolith: 40 });
    expect(posts.non2xx).toBe(0);
    expect(fallback.fallbacks).toBe(fallback.requests);
    expect(broken.non2xx).toBe(broken.requests);
    expect(broken.statusCodes).toEqual({ '503': broken.requests });
    expect(observed).toHaveLength(results.reduce((sum, r) => sum + r.requests, 0));
    expect(
      seen
        .filter((r) => r.url.startsWith('/posts/'))
        .every((r) => ['/posts/a1', '/posts/b2', '/posts/c3'].includes(r.url)),
    ).toBe(true);
    expect(seen.find((r) => r.method === 'POST')?.body).toBe('{"user":"u1"}');
  });

  it('counts requests to a server that is down as errors', async () => {
    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(down.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => down.close(() => resolve()));
    let errors = 0;
    const [result] = await driveLoad({
      baseUrl: url,
      endpoints: [endpoints[0]],
      workload,
      connections: 1,
      durationSeconds: 1,
      maxRequests: 10,
      seed: 1,
      observer: { response: () => undefined, error: () => errors++ },
    });
    expect(result.requests).toBe(0);
    expect(result.errors).toBeGreaterThan(0);
    expect(errors).toBe(result.errors);
  });
});
