import { createHash, randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse, request } from 'node:http';
import { freePort } from '../../../scripts/lib/store';
import {
  TestGateway,
  Upstream,
  routesYaml,
  send,
  startTestGateway,
  startUpstream,
} from '../../../test/support/gateway';

const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('hex');

/** A backend that echoes what it received, answers any status, streams chunks, or never answers. */
function backend(req: IncomingMessage, res: ServerResponse): void {
  const { pathname } = new URL(req.url as string, 'http://upstream');
  if (pathname === '/health') {
    res.end('{"status":"ok"}');
    return;
  }
  if (pathname === '/silent') return;
  if (pathname === '/headers') {
    req.resume();
    res.setHeader('content-type', 'application/json');
    res.setHeader('connection', 'x-upstream-only');
    res.setHeader('x-upstream-only', 'secret');
    res.end(JSON.stringify(req.headers));
    return;
  }
  if (pathname === '/chunks') {
    res.setHeader('content-type', 'text/plain');
    let sent = 0;
    const next = () => (sent === 3 ? res.end() : (res.write(`chunk ${sent++}\n`), setTimeout(next, 5)));
    next();
    return;
  }
  if (pathname.startsWith('/status/')) {
    const code = Number(pathname.split('/')[2]);
    res.statusCode = code;
    res.setHeader('x-status', String(code));
    res.end(code === 204 || code === 304 ? undefined : JSON.stringify({ code }));
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    res.setHeader('content-type', req.headers['content-type'] ?? 'application/octet-stream');
    res.setHeader('x-echo-method', req.method as string);
    res.setHeader('x-echo-url', req.url as string);
    res.setHeader('x-echo-request-id', req.headers['x-request-id'] ?? '');
    res.setHeader('x-echo-custom', req.headers['x-custom'] ?? '');
    res.setHeader('X-Mixed-Case', 'kept');
    res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; HttpOnly']);
    res.setHeader('x-body-sha256', sha256(body));
    res.end(body);
  });
}

/** What the gateway adds, or what differs between any two answers. */
const NOT_COMPARED = new Set(['date', 'connection', 'keep-alive', 'x-served-by', 'x-request-id']);
const comparable = (rawHeaders: string[]) =>
  rawHeaders.flatMap((value, i) =>
    i % 2 === 0 && !NOT_COMPARED.has(value.toLowerCase()) ? [[value, rawHeaders[i + 1]]] : [],
  );

describe('gateway proxy', () => {
  let upstream: Upstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await startUpstream(backend);
    upstream.server.on('upgrade', (_req, socket) => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
      socket.pipe(socket);
    });
    gateway = await startTestGateway(routesYaml({ monolithUrl: upstream.url, rpcTargets: ['search'] }), {
      UPSTREAM_TIMEOUT_MS: '1000',
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  describe('pass-through', () => {
    it('forwards method, path, query and headers, and returns the answer byte-identical', async () => {
      const path = '/echo/a%20b?q=python%20tips&tag=a&tag=b';
      const options = { method: 'DELETE', headers: { 'x-custom': 'hello', 'x-request-id': 'req-1' } };
      const direct = await send(`${upstream.url}${path}`, options);
      const proxied = await send(`${gateway.url}${path}`, options);
      expect(proxied.status).toBe(direct.status);
      expect(proxied.headers['x-echo-url']).toBe(path);
      expect(proxied.headers['x-echo-custom']).toBe('hello');
      expect(comparable(proxied.rawHeaders)).toEqual(comparable(direct.rawHeaders));
      expect(proxied.body.equals(direct.body)).toBe(true);
    });

    it('streams a 5 MB POST body to the upstream and back untouched', async () => {
      const body = randomBytes(5 * 1024 * 1024);
      const res = await send(`${gateway.url}/upload`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body,
      });
      expect(res.status).toBe(200);
      expect(res.headers['x-body-sha256']).toBe(sha256(body));
      expect(res.body.equals(body)).toBe(true);
    });

    it('passes a PUT JSON body through as sent', async () => {
      const json = '{"tags": ["python", "async"],  "note":"spacing kept"}';
      const res = await send(`${gateway.url}/posts/abc/tags`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: json,
      });
      expect(res.headers['x-echo-method']).toBe('PUT');
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.body.toString()).toBe(json);
    });

    it.each([201, 204, 304, 404, 418, 500, 503])('passes status %i through', async (code) => {
      const res = await send(`${gateway.url}/status/${code}`);
      expect(res.status).toBe(code);
      expect(res.headers['x-status']).toBe(String(code));
      expect(res.headers['x-served-by']).toBe('monolith');
    });

    it('streams a chunked answer as chunked', async () => {
      const res = await send(`${gateway.url}/chunks`);
      expect(res.headers['transfer-encoding']).toBe('chunked');
      expect(res.body.toString()).toBe('chunk 0\nchunk 1\nchunk 2\n');
    });

    it('upgrades a connection and pipes both ways', async () => {
      const echoed = await new Promise<string>((resolve, reject) => {
        const req = request(`${gateway.url}/live`, {
          headers: { connection: 'Upgrade', upgrade: 'websocket' },
          agent: false,
        });
        req.on('upgrade', (_res, socket) => {
          socket.once('data', (data: Buffer) => {
            socket.destroy();
            resolve(data.toString());
          });
          socket.write('ping');
        });
        req.on('error', reject);
        req.end();
      });
      expect(echoed).toBe('ping');
    });
  });

  describe('x-served-by and x-request-id', () => {
    it('keeps the request id the client sent and forwards it upstream', async () => {
      const res = await send(`${gateway.url}/echo`, { headers: { 'x-request-id': 'client-id-42' } });
      expect(res.headers['x-request-id']).toBe('client-id-42');
      expect(res.headers['x-echo-request-id']).toBe('client-id-42');
    });

    it('makes a request id when the client sent none, and the upstream sees the same one', async () => {
      const res = await send(`${gateway.url}/echo`);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers['x-echo-request-id']).toBe(res.headers['x-request-id']);
      expect(res.headers['x-served-by']).toBe('monolith');
    });

    it('tags the gateway’s own answers as served by the gateway', async () => {
      const res = await send(`${gateway.url}/_gateway/health`);
      expect(res.headers['x-served-by']).toBe('gateway');
      expect(res.headers['x-request-id']).toBeDefined();
    });
  });

  describe('hop-by-hop headers', () => {
    it('forwards neither hop-by-hop headers nor those Connection names, and appends the client to X-Forwarded-For', async () => {
      const res = await send(`${gateway.url}/headers`, {
        headers: {
          connection: 'x-hop, keep-alive',
          'x-hop': 'for the gateway only',
          'keep-alive': 'timeout=99',
          'proxy-authorization': 'Basic c2VjcmV0',
          te: 'trailers',
          'x-forwarded-for': '203.0.113.9',
          'x-custom': 'kept',
        },
      });
      const seen = JSON.parse(res.body.toString()) as Record<string, string>;
      expect(seen).not.toHaveProperty('x-hop');
      expect(seen).not.toHaveProperty('proxy-authorization');
      expect(seen).not.toHaveProperty('te');
      expect(seen['keep-alive']).toBeUndefined();
      expect(seen['x-custom']).toBe('kept');
      expect(seen['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
      expect(res.headers).not.toHaveProperty('x-upstream-only');
    });

    it('closes the client connection when the client asks, whatever the upstream said', async () => {
      const res = await send(`${gateway.url}/headers`, { headers: { connection: 'close' } });
      expect(res.headers.connection).toBe('close');
    });
  });

  describe('upstream failures', () => {
    it('answers 504 JSON when the upstream does not answer in time', async () => {
      const res = await send(`${gateway.url}/silent`, { headers: { 'x-request-id': 'slow-1' } });
      expect(res.status).toBe(504);
      expect(JSON.parse(res.body.toString())).toEqual({
        statusCode: 504,
        error: 'Gateway Timeout',
        message: 'monolith did not answer within 1000 ms',
      });
      expect(res.headers).toMatchObject({ 'x-served-by': 'gateway', 'x-request-id': 'slow-1' });
    });

    it('answers 502 JSON when the upstream is down', async () => {
      const down = await startTestGateway(routesYaml({ monolithUrl: `http://127.0.0.1:${await freePort()}` }));
      try {
        const res = await send(`${down.url}/posts`, { method: 'POST', body: '{}' });
        expect(res.status).toBe(502);
        expect(JSON.parse(res.body.toString())).toEqual({
          statusCode: 502,
          error: 'Bad Gateway',
          message: 'monolith is unreachable (ECONNREFUSED)',
        });
        expect(res.headers['x-served-by']).toBe('gateway');
        expect(res.headers['x-request-id']).toBeDefined();
      } finally {
        await down.stop();
      }
    });
  });

  describe('/_gateway', () => {
    it('reports each target in /_gateway/health, an rpc target without its service as down and the gateway as degraded', async () => {
      const res = await send(`${gateway.url}/_gateway/health`);
      expect(res.status).toBe(200);
      const health = JSON.parse(res.body.toString());
      expect(health).toMatchObject({
        status: 'degraded',
        service: 'gateway',
        targets: { monolith: { type: 'http', status: 'up' } },
      });
      expect(health.targets.search).toMatchObject({
        type: 'rpc',
        status: 'down',
      });
    });

    it('counts requests by route, target and status in /_gateway/metrics', async () => {
      await send(`${gateway.url}/status/404`);
      const res = await send(`${gateway.url}/_gateway/metrics`);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      const text = res.body.toString();
      expect(text).toMatch(/gateway_requests_total\{route="default",target="monolith",status="404"[^}]*\} [1-9]/);
      expect(text).toMatch(
        /gateway_request_duration_seconds_count\{[^}]*route="default",target="monolith"[^}]*\} [1-9]/,
      );
      expect(text).toMatch(/gateway_route_reloads_total\{result="ok"[^}]*\} 1/);
    });
  });
});
