import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Stack, startStack } from '../scripts/lib/stack';
import { eventually } from '@app/platform';
import { rawExchange } from './support/raw-http';
import { callGateway } from './support/gateway';

const TOKEN = 'hardening-test-token';
const ROUTES = path.resolve(__dirname, '..', 'gateway', 'routes.yaml');
/** Nothing in an answer may name where the processes listen. */
const INTERNAL_ADDRESS = /127\.0\.0\.1|localhost|::1|:\d{4,5}\b|ECONNREFUSED/;

describe('gateway hardening on the running stack', () => {
  let dataDir: string;
  let stack: Stack | undefined;
  let gateway: string;
  let postId: string;

  const call = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    callGateway(gateway, method, url, body, headers);
  const admin = (method: string, url: string, body?: unknown) =>
    call(method, `/_gateway${url}`, body, { authorization: `Bearer ${TOKEN}` });
  const breakers = async () =>
    ((await admin('GET', '/health')).body.targets as Record<string, { breaker?: string }>) ?? {};
  const flip = async (route: string, target: string) =>
    expect(await admin('PUT', `/routes/${route}`, { target, mode: 'live' })).toMatchObject({ status: 200 });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-hardening-'));
    const routesFile = path.join(dataDir, 'routes.yaml');
    fs.copyFileSync(ROUTES, routesFile);
    stack = await startStack({
      dataDir,
      randomPorts: true,
      env: {
        LOG_LEVEL: 'warn',
        SYNC_POLL_MS: '50',
        ROUTES_FILE: routesFile,
        GATEWAY_ADMIN_TOKEN: TOKEN,
        BODY_TIMEOUT_MS: '1000',
        BREAKER_MIN_REQUESTS: '3',
      },
    });
    gateway = stack.url('gateway');
    postId = (await call('POST', '/posts', { title: 'Hardening the gateway', author: 'ann' })).body.id as string;
    await flip('engagement', 'engagement');
    await flip('tags', 'tagging');
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe("a client's bad input is not the target's failure", () => {
    it('answers malformed percent-encoding with 400, as the monolith does, and the breaker stays closed', async () => {
      for (let i = 0; i < 8; i++) {
        const answer = await call('POST', '/posts/%E0%A4%A/likes', { user: 'ann' });
        expect(answer).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request' } });
      }
      expect((await breakers()).engagement?.breaker).toBe('closed');
      expect(await call('POST', `/posts/${postId}/likes`, { user: 'ann' })).toMatchObject({
        status: 202,
        servedBy: 'engagement',
      });
    });

    it('answers a query string with a broken %-escape with 400 on a bridged route, as the monolith does', async () => {
      for (const target of ['tagging', 'monolith']) {
        await flip('tags', target);
        expect(await call('GET', '/tags?page=%E0%A4%A')).toMatchObject({
          status: 400,
          body: { statusCode: 400, message: 'the query string is not valid percent-encoding' },
        });
      }
      await flip('tags', 'tagging');
    });

    it('does not count a client that aborts its body mid-way against the target', async () => {
      for (let i = 0; i < 8; i++) {
        await rawExchange(
          gateway,
          [
            `POST /posts/${postId}/likes HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n{"us`,
          ],
          { abortAfterWrite: true },
        );
      }
      expect((await breakers()).engagement?.breaker).toBe('closed');
      expect(await call('POST', `/posts/${postId}/likes`, { user: 'bob' })).toMatchObject({ status: 202 });
    });
  });

  describe('every request line is routed by its path', () => {
    it('routes an absolute-form request line like its path', async () => {
      const body = JSON.stringify({ user: 'cyd' });
      const answer = await rawExchange(gateway, [
        `POST http://example.test/posts/${postId}/likes HTTP/1.1\r\nhost: example.test\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
      ]);
      expect(answer.status).toBe(202);
      expect(answer.head).toMatch(/\r\nx-served-by: engagement\r\n/i);
    });

    it('answers OPTIONS * instead of hanging', async () => {
      const answer = await rawExchange(gateway, ['OPTIONS * HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n']);
      expect(answer.status).toBe(204);
      expect(answer.head).toMatch(/\r\nallow: GET, HEAD, POST/i);
    });

    it('refuses an upgrade on a route whose target cannot take it, rather than sending it elsewhere', async () => {
      const answer = await rawExchange(gateway, [
        `GET /posts/${postId}/stats HTTP/1.1\r\nhost: x\r\nconnection: upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      ]);
      expect(answer.status).toBe(501);
      expect(JSON.parse(answer.body)).toMatchObject({
        statusCode: 501,
        message: 'engagement does not take connection upgrades',
      });
    });
  });

  describe('timeouts on every path', () => {
    it('cuts a stalled body on a bridged route with 408 at the body timeout', async () => {
      const answer = await rawExchange(
        gateway,
        [
          `POST /posts/${postId}/likes HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n{"us`,
        ],
        { waitMs: 15_000 },
      );
      expect(answer.status).toBe(408);
      expect(JSON.parse(answer.body)).toEqual({
        statusCode: 408,
        error: 'Request Timeout',
        message: 'request body not received within 1000 ms',
      });
      expect((await breakers()).engagement?.breaker).toBe('closed');
    });
  });

  describe('the bridge refuses what the monolith refuses', () => {
    it.each([
      [`/posts/{id}/likes`, { user: 'ann', admin: true }],
      [`/posts/{id}/tags`, { tags: ['python'], extra: 1 }],
    ])('answers %s with an unknown field 400, as the monolith does', async (pattern, body) => {
      const url = pattern.replace('{id}', postId);
      const method = url.endsWith('/tags') ? 'PUT' : 'POST';
      const bridged = await call(method, url, body);
      expect(bridged.servedBy).not.toBe('monolith');
      const direct = await fetch(`${(stack as Stack).url('monolith')}${url}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(bridged.status).toBe(400);
      expect(bridged.body).toEqual(await direct.json());
    });

    it('refuses a content-encoding and a charset it cannot honour', async () => {
      const gzip = await call('POST', `/posts/${postId}/likes`, { user: 'ann' }, { 'content-encoding': 'gzip' });
      expect(gzip).toMatchObject({ status: 415, body: { message: 'content-encoding gzip is not supported' } });
      const latin = await call(
        'POST',
        `/posts/${postId}/likes`,
        { user: 'ann' },
        {
          'content-type': 'application/json; charset=iso-8859-1',
        },
      );
      expect(latin).toMatchObject({
        status: 415,
        body: { message: 'charset iso-8859-1 is not supported; send utf-8' },
      });
    });
  });

  describe('errors and health', () => {
    it('reports a dead service as degraded, and names no internal address in any answer', async () => {
      const running = stack as Stack;
      running.kill('tagging', 'SIGKILL');
      const write = await call('PUT', `/posts/${postId}/tags`, { tags: ['python'] });
      expect(write.status).toBe(503);
      expect(JSON.stringify(write.body)).not.toMatch(INTERNAL_ADDRESS);
      const health = await eventually(
        () => call('GET', '/_gateway/health'),
        (answer) => answer.body.status === 'degraded',
      );
      expect(health.body).toMatchObject({ status: 'degraded', targets: { tagging: { status: 'down' } } });
      expect(JSON.stringify(health.body)).not.toMatch(INTERNAL_ADDRESS);
      await running.restart('tagging');
      await eventually(
        () => call('GET', '/_gateway/health'),
        (answer) => answer.body.status === 'ok',
      );
    });

    it('reports the relay as degraded while it is down', async () => {
      const running = stack as Stack;
      running.kill('sync', 'SIGKILL');
      const health = await eventually(
        () => call('GET', '/_gateway/health'),
        (answer) => answer.body.status === 'degraded',
      );
      expect(health.body).toMatchObject({ status: 'degraded', relay: { status: 'down' } });
      expect(JSON.stringify(health.body)).not.toMatch(INTERNAL_ADDRESS);
      await running.restart('sync');
      const back = await eventually(
        () => call('GET', '/_gateway/health'),
        (answer) => answer.body.status === 'ok',
      );
      expect(back.body).toMatchObject({ status: 'ok', relay: { status: 'up' } });
    });
  });
});
