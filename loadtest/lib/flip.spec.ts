import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '@app/platform';
import { RouteFlipper } from './flip';
import type { Stack } from './stack';

/** Resolves once `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  await eventually(condition, (holds) => holds, 60_000, 5);
}

describe('RouteFlipper', () => {
  let admin: Server;
  let puts: { url: string; body: string; authorization?: string }[];
  /** PUTs past this many wait for `release()` before the admin API answers them. */
  let answerFirst: number;
  let held: (() => void)[];
  const release = () => held.splice(0).forEach((answer) => answer());
  let stack: Stack;

  beforeAll(async () => {
    admin = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        puts.push({ url: `${req.method} ${req.url}`, body, authorization: req.headers.authorization });
        const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        if (puts.length > answerFirst) held.push(answer);
        else answer();
      });
    });
    await new Promise<void>((resolve) => admin.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(admin.address() as AddressInfo).port}`;
    stack = { url: () => url, env: { GATEWAY_ADMIN_TOKEN: 'secret-token' } } as unknown as Stack;
  });

  beforeEach(() => {
    puts = [];
    answerFirst = Infinity;
    held = [];
  });

  afterAll(() => new Promise<void>((resolve) => admin.close(() => resolve())));

  it('flips the route through the admin API until the load ends, alternating targets', async () => {
    answerFirst = 2;
    const flipper = new RouteFlipper(stack, 'search', ['monolith', 'search'], 0.05, new Set(['GET /search']));
    let endLoad = () => undefined as void;
    const running = flipper.run(new Promise<void>((resolve) => (endLoad = resolve)));
    // The load ends while the third flip waits at the admin API, however long each flip took.
    await until(() => held.length === 1);
    endLoad();
    release();
    await running;

    expect(flipper.phases.map((phase) => phase.target)).toEqual(['monolith', 'search', 'monolith', 'search']);
    expect(puts.map((put) => put.url)).toEqual(Array(3).fill('PUT /_gateway/routes/search'));
    expect(puts.map((put) => JSON.parse(put.body).target)).toEqual(['search', 'monolith', 'search']);
    expect(puts.every((put) => put.authorization === 'Bearer secret-token')).toBe(true);
    expect(flipper.phases[0].flipMs).toBe(0);
    expect(flipper.phases.slice(1).every((phase) => phase.flipMs > 0)).toBe(true);
    for (let i = 1; i < flipper.phases.length; i++)
      expect(flipper.phases[i].startSeconds).toBe(flipper.phases[i - 1].endSeconds);
  });

  it('counts each response and failed request in the phase it arrived in, and apart those of the route', async () => {
    answerFirst = 1;
    const flipper = new RouteFlipper(
      stack,
      'engagement',
      ['monolith', 'engagement'],
      0.05,
      new Set(['POST /posts/:id/likes']),
    );
    flipper.response('POST /posts/:id/likes', 202, 'monolith', false);
    let endLoad = () => undefined as void;
    const running = flipper.run(new Promise<void>((resolve) => (endLoad = resolve)));
    // The second flip is at the admin API: the second phase is the current one until it is answered.
    await until(() => held.length === 1);
    flipper.response('POST /posts/:id/likes', 503, 'gateway', false);
    flipper.response('GET /search', 200, 'monolith', true);
    flipper.error('GET /search');
    flipper.error('POST /posts/:id/likes');
    endLoad();
    release();
    await running;

    const [first, second] = flipper.phases;
    expect(first).toMatchObject({
      target: 'monolith',
      all: { requests: 1, non2xx: 0, errors: 0, fallbacks: 0, servedBy: { monolith: 1 } },
      route: { requests: 1, non2xx: 0, errors: 0, fallbacks: 0, servedBy: { monolith: 1 } },
    });
    expect(second).toMatchObject({
      target: 'engagement',
      all: { requests: 2, non2xx: 1, errors: 2, fallbacks: 1, servedBy: { gateway: 1, monolith: 1 } },
      route: { requests: 1, non2xx: 1, errors: 1, fallbacks: 0, servedBy: { gateway: 1 } },
    });
  });
});
