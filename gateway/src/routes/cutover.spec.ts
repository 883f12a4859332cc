import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { eventually } from '@app/platform';
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

interface RelayCall {
  consumer: string;
  timeoutMs: number;
  at: number;
}

/** The flip protocol with a stand-in relay, whose answers the test decides. */
describe('consistent cutover of write routes', () => {
  let monolith: Upstream;
  let replica: Upstream;
  let relay: Upstream;
  let gateway: TestGateway;
  const relayCalls: RelayCall[] = [];
  let relayAnswer: { status: number; delayMs: number; message?: string } = { status: 200, delayMs: 0 };
  let slowFinishedAt = 0;

  beforeAll(async () => {
    const named = namedUpstream('monolith');
    monolith = await startUpstream((req: IncomingMessage, res: ServerResponse) => {
      if (req.url !== '/items/slow') return named(req, res);
      setTimeout(() => {
        slowFinishedAt = Date.now();
        named(req, res);
      }, 400);
    });
    replica = await startUpstream(namedUpstream('replica'));
    relay = await startUpstream((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        relayCalls.push({ ...JSON.parse(Buffer.concat(chunks).toString()), at: Date.now() });
        const { status, delayMs, message } = relayAnswer;
        setTimeout(() => {
          res.statusCode = status;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(status === 200 ? { consumer: 'replica' } : { statusCode: status, message }));
        }, delayMs);
      });
    });
    gateway = await startTestGateway(
      routesYaml({
        monolithUrl: monolith.url,
        httpTargets: { replica: replica.url },
        routes: [
          { name: 'items', target: 'monolith', match: [{ path: '/items/:id', methods: ['GET', 'POST'] }] },
          { name: 'reads', target: 'monolith', match: [{ path: '/reads', methods: ['GET'] }] },
        ],
      }),
      { SYNC_URL: relay.url, CUTOVER_TIMEOUT_MS: '3000' },
    );
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([monolith?.close(), replica?.close(), relay?.close()]);
  });

  /** Sent at once (supertest sends only when awaited), so the test can act while it runs. */
  const flip = (route: string, target: string) =>
    request(gateway.url)
      .put(`/_gateway/routes/${route}`)
      .set(ADMIN_AUTH)
      .send({ target })
      .then((res) => res);

  beforeEach(async () => {
    relayAnswer = { status: 200, delayMs: 0 };
    await flip('items', 'monolith');
    await flip('reads', 'monolith');
    relayCalls.length = 0;
  });
  const until = (condition: () => boolean) => eventually(condition, (holds) => holds, 60_000, 10);

  it('holds the route’s requests while the relay confirms, then serves them from the new owner', async () => {
    relayAnswer = { status: 200, delayMs: 300 };
    const flipping = flip('items', 'replica');
    await until(() => relayCalls.length === 1);
    const held = await request(gateway.url).get('/items/1');
    expect(held.body.answeredBy).toBe('replica');
    expect((await flipping).status).toBe(200);
    expect(relayCalls).toEqual([{ consumer: 'replica', timeoutMs: expect.any(Number), at: expect.any(Number) }]);
    expect(relayCalls[0].timeoutMs).toBeLessThanOrEqual(3000);
  });

  it('lets requests in flight finish on the old owner before it asks the relay', async () => {
    const slow = request(gateway.url)
      .post('/items/slow')
      .send({})
      .then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const flipped = await flip('items', 'replica');
    expect(flipped.status).toBe(200);
    expect((await slow).body.answeredBy).toBe('monolith');
    expect(relayCalls[0].at).toBeGreaterThanOrEqual(slowFinishedAt);
  });

  it('refuses the flip when the relay says the new owner has not caught up, keeping the old owner and the file', async () => {
    const before = readFileSync(gateway.routesFile, 'utf8');
    relayAnswer = {
      status: 504,
      delayMs: 200,
      message: 'replica did not catch up within 3000 ms: it has acknowledged the log up to 3 of 9',
    };
    const flipping = flip('items', 'replica');
    await until(() => relayCalls.length === 1);
    const held = await request(gateway.url).get('/items/1');
    const refused = await flipping;
    expect(refused.status).toBe(504);
    expect(refused.body.message).toBe(
      'route items was not moved to replica: replica did not catch up within 3000 ms: it has acknowledged the log up to 3 of 9; try again',
    );
    expect(held.body.answeredBy).toBe('monolith');
    expect(readFileSync(gateway.routesFile, 'utf8')).toBe(before);
    const audit = await request(gateway.url).get('/_gateway/audit?limit=1').set(ADMIN_AUTH);
    expect(audit.body.items[0]).toMatchObject({ route: 'items', to: 'monolith' });
  });

  it('forgets a held request whose client went away, so the next cutover does not wait for it', async () => {
    relayAnswer = { status: 200, delayMs: 300 };
    const flipping = flip('items', 'replica');
    await until(() => relayCalls.length === 1);
    const { port } = new URL(gateway.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /items/1 HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    expect((await flipping).status).toBe(200);
    relayAnswer = { status: 200, delayMs: 0 };
    expect((await flip('items', 'monolith')).status).toBe(200);
  });

  it('refuses the flip when the relay cannot be asked, without naming its address', async () => {
    await relay.close();
    try {
      const refused = await flip('items', 'replica');
      expect(refused.status).toBe(503);
      expect(refused.body.message).toBe(
        'route items was not moved to replica: the relay could not be asked whether it has caught up; try again',
      );
      expect((await request(gateway.url).get('/items/1')).body.answeredBy).toBe('monolith');
    } finally {
      relay = await startUpstream(relay.server.listeners('request')[0] as never, Number(new URL(relay.url).port));
    }
  });

  it('flips a route that only reads at once, without the relay', async () => {
    expect((await flip('reads', 'replica')).status).toBe(200);
    expect(relayCalls).toEqual([]);
    expect((await request(gateway.url).get('/reads')).body.answeredBy).toBe('replica');
  });
});
