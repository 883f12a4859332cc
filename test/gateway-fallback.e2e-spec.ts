import { ChildProcess, spawn } from 'node:child_process';
import { IncomingMessage, ServerResponse } from 'node:http';
import { freePort } from '../scripts/lib/store';
import { eventually } from '@app/platform';
import { RawAnswer, TestGateway, Upstream, routesYaml, send, startTestGateway, startUpstream } from './support/gateway';

/** The extracted target: a separate process, so that it can be killed with SIGKILL mid-traffic. */
const REPLICA = `
const http = require('node:http');
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.statusCode = req.url.endsWith('/boom') ? 500 : 200;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ answeredBy: 'replica', method: req.method }));
  });
}).listen(Number(process.argv[1]), '127.0.0.1', () => process.stdout.write('ready\\n'));
`;

function startReplica(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', REPLICA, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`replica exited with ${code} before listening`)));
    child.stdout?.once('data', () => resolve(child));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const json = (answer: RawAnswer) => JSON.parse(answer.body.toString());

describe('gateway failure handling', () => {
  let monolith: Upstream;
  const monolithSaw: string[] = [];
  let replicaPort: number;
  let replica: ChildProcess;
  let gateway: TestGateway;

  const breakerState = async () => {
    const text = (await send(`${gateway.url}/_gateway/metrics`)).body.toString();
    return /gateway_breaker_state\{[^}]*target="replica"[^}]*\} (\d)/.exec(text)?.[1];
  };

  beforeAll(async () => {
    monolith = await startUpstream((req: IncomingMessage, res: ServerResponse) => {
      monolithSaw.push(`${req.method} ${req.url}`);
      req.resume();
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ answeredBy: 'monolith', method: req.method }));
    });
    replicaPort = await freePort();
    replica = await startReplica(replicaPort);
    gateway = await startTestGateway(
      routesYaml({
        monolithUrl: monolith.url,
        httpTargets: { replica: `http://127.0.0.1:${replicaPort}` },
        rpcTargets: ['search'],
        routes: [
          { name: 'items', target: 'replica', match: [{ path: '/items/:id', methods: ['GET', 'POST'] }] },
          { name: 'search', target: 'search', match: [{ path: '/search', methods: ['GET', 'POST'] }] },
        ],
      }),
    );
  });

  afterAll(async () => {
    await gateway?.stop();
    await monolith?.close();
    if (replica) await killed(replica);
  });

  describe('an http target that dies', () => {
    it('serves the route from its target while it is up, 5xx answers included', async () => {
      const ok = await send(`${gateway.url}/items/1`);
      expect(ok.headers['x-served-by']).toBe('replica');
      const boom = await send(`${gateway.url}/items/boom`);
      expect([boom.status, boom.headers['x-served-by'], boom.headers['x-fallback']]).toEqual([
        500,
        'replica',
        undefined,
      ]);
    });

    it('keeps answering GETs when the target is killed mid-traffic, falling back to the monolith', async () => {
      const answers: RawAnswer[] = [];
      let stop = false;
      const traffic = async () => {
        while (!stop) answers.push(await send(`${gateway.url}/items/${answers.length}`));
      };
      const clients = [traffic(), traffic(), traffic()];
      const served = async () => answers.length;
      expect(await eventually(served, (count) => count >= 10)).toBeGreaterThanOrEqual(10);
      await killed(replica);
      const atKill = answers.length;
      expect(await eventually(served, (count) => count >= atKill + 30)).toBeGreaterThanOrEqual(atKill + 30);
      stop = true;
      await Promise.all(clients);

      expect(answers.filter((a) => a.status !== 200)).toEqual([]);
      const last = answers[answers.length - 1];
      expect(last.headers).toMatchObject({ 'x-served-by': 'monolith', 'x-fallback': 'replica' });
      expect(json(last).answeredBy).toBe('monolith');
      expect(answers.every((a) => typeof a.headers['x-request-id'] === 'string')).toBe(true);
    });

    it('answers a POST with a clear 503 instead of sending it elsewhere', async () => {
      const res = await send(`${gateway.url}/items/1`, {
        method: 'POST',
        body: '{}',
        headers: { 'x-request-id': 'post-1' },
      });
      expect(res.status).toBe(503);
      expect(json(res)).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      expect(json(res).message).toMatch(/replica .*; the POST was not applied, retry later$/);
      expect(res.headers).toMatchObject({ 'x-served-by': 'gateway', 'x-request-id': 'post-1' });
      expect(monolithSaw.filter((line) => line.startsWith('POST'))).toEqual([]);
    });

    it('opens the breaker, so requests fail fast without trying the dead target', async () => {
      const stateAfterARequest = async () => {
        await send(`${gateway.url}/items/1`);
        return breakerState();
      };
      expect(await eventually(stateAfterARequest, (state) => state === '2')).toBe('2');
      // The request that opened the breaker fell back as "failed"; the next one meets it open.
      await send(`${gateway.url}/items/1`);
      const metrics = (await send(`${gateway.url}/_gateway/metrics`)).body.toString();
      expect(metrics).toMatch(
        /gateway_fallbacks_total\{[^}]*route="items",target="replica",reason="open"[^}]*\} [1-9]/,
      );
      expect(metrics).toMatch(
        /gateway_fallbacks_total\{[^}]*route="items",target="replica",reason="failed"[^}]*\} [1-9]/,
      );
    });

    it('closes the breaker again once the target is back', async () => {
      replica = await startReplica(replicaPort);
      const servedBy = async () => (await send(`${gateway.url}/items/1`)).headers['x-served-by'];
      expect(await eventually(servedBy, (by) => by === 'replica')).toBe('replica');
      expect(await breakerState()).toBe('0');
      const health = json(await send(`${gateway.url}/_gateway/health`));
      expect(health.targets.replica).toEqual({ type: 'http', status: 'up', breaker: 'closed' });
    });
  });

  describe('an rpc target that cannot be served (no search service runs here)', () => {
    it('falls back to the monolith for GET', async () => {
      const res = await send(`${gateway.url}/search?q=x`);
      expect(res.status).toBe(200);
      expect(res.headers).toMatchObject({ 'x-served-by': 'monolith', 'x-fallback': 'search' });
    });

    it('answers 503 for POST, saying that nothing was applied', async () => {
      const res = await send(`${gateway.url}/search`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(503);
      expect(json(res).message).toMatch(/^search .*; the POST was not applied, retry later$/);
      expect(monolithSaw).not.toContain('POST /search');
    });
  });
});
