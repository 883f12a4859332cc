import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../scripts/lib/store';
import {
  ADMIN_TOKEN,
  TestGateway,
  Upstream,
  namedUpstream,
  routesYaml,
  send,
  startTestGateway,
  startUpstream,
} from '../../../test/support/gateway';
import { EXIT, runRouteCli } from './route.cli';

describe('npm run route', () => {
  let monolith: Upstream;
  let gateway: TestGateway;
  let env: NodeJS.ProcessEnv;

  async function route(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runRouteCli(args, env, { out: (line) => out.push(line), err: (line) => err.push(line) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  beforeAll(async () => {
    monolith = await startUpstream(namedUpstream('monolith'));
  });

  // Each case starts from a table with every route on the monolith and no history.
  beforeEach(async () => {
    gateway = await startTestGateway(
      routesYaml({
        monolithUrl: monolith.url,
        rpcTargets: ['search', 'tagging'],
        routes: [
          { name: 'search', target: 'monolith', match: [{ path: '/search', methods: ['GET'] }] },
          {
            name: 'tags',
            target: 'monolith',
            match: [{ path: '/tags' }, { path: '/posts/:id/tags', methods: ['GET', 'PUT'] }],
          },
        ],
      }),
    );
    env = { GATEWAY_URL: gateway.url, GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN, GATEWAY_ADMIN_USER: 'dana' };
  });

  afterEach(async () => {
    await gateway?.stop();
  });

  afterAll(async () => {
    await monolith?.close();
  });

  it('list prints every route as a table, the default last', async () => {
    const { code, out } = await route('list');
    expect(code).toBe(EXIT.ok);
    expect(out.split('\n')).toEqual([
      'ROUTE      TARGET    STATE     CANDIDATE  PREVIOUS  MATCH',
      'search     monolith  monolith  -          -         GET /search',
      'tags       monolith  monolith  -          -         * /tags, GET|PUT /posts/:id/tags',
      '(default)  monolith  monolith  -          -         every other request',
    ]);
  });

  it('set sends a route to a target, and the gateway routes its traffic there', async () => {
    const { code, out } = await route('set', 'search', 'search');
    expect([code, out]).toEqual([EXIT.ok, 'search -> search (live, was monolith)']);
    const res = await send(`${gateway.url}/search?q=x`);
    expect(res.headers).toMatchObject({ 'x-fallback': 'search' });
  });

  it('rollback sends it back to the previous target', async () => {
    await route('set', 'search', 'search');
    const { code, out } = await route('rollback', 'search');
    expect([code, out]).toEqual([EXIT.ok, 'search -> monolith (monolith, was search)']);
  });

  it('reset sends every route to the monolith and records the user and the token as its authors', async () => {
    await route('set', 'tags', 'tagging');
    await route('set', 'search', 'search');
    const { code, out } = await route('reset');
    expect(code).toBe(EXIT.ok);
    expect(out).toMatch(/^search +monolith +monolith +- +search/m);
    expect(out).toMatch(/^tags +monolith +monolith +- +tagging/m);
    const audit = await fetch(`${gateway.url}/_gateway/audit?limit=2`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const { items } = (await audit.json()) as { items: { who: string; principal: string }[] };
    expect(items.map(({ who, principal }) => [who, principal])).toEqual([
      ['dana', 'admin-token'],
      ['dana', 'admin-token'],
    ]);
  });

  it.each([
    [
      ['set', 'search', 'serch'],
      'route: the gateway answered 400: target "serch" is not declared in routes.yaml (declared: monolith, search, tagging)',
    ],
    [['set', 'nope', 'search'], 'route: the gateway answered 404: route nope is not in routes.yaml'],
  ])('reports the gateway’s refusal of %j and exits 1', async (args, message) => {
    const { code, err } = await route(...args);
    expect([code, err]).toEqual([EXIT.failed, message]);
  });

  it('says so when the token is wrong', async () => {
    env = { ...env, GATEWAY_ADMIN_TOKEN: 'wrong-token' };
    try {
      const { code, err } = await route('list');
      expect([code, err]).toEqual([EXIT.failed, 'route: the gateway answered 403: the admin token is wrong']);
    } finally {
      env = { ...env, GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN };
    }
  });

  it('exits 2 without a token or a token file, naming both', async () => {
    const missing = join(gateway.dir, 'no-token-here');
    env = { GATEWAY_URL: gateway.url, GATEWAY_ADMIN_TOKEN_FILE: missing };
    try {
      const { code, err } = await route('list');
      expect([code, err]).toEqual([
        EXIT.usage,
        `route: GATEWAY_ADMIN_TOKEN is not set and ${missing} is not there; use the token the gateway was started with`,
      ]);
    } finally {
      env = { GATEWAY_URL: gateway.url, GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN, GATEWAY_ADMIN_USER: 'dana' };
    }
  });

  it('takes the token npm start wrote to its file when the variable is not set', async () => {
    const file = join(gateway.dir, 'gateway-admin-token');
    writeFileSync(file, `${ADMIN_TOKEN}\n`);
    env = { GATEWAY_URL: gateway.url, GATEWAY_ADMIN_TOKEN_FILE: file };
    try {
      const { code, out } = await route('list');
      expect([code, out]).toEqual([EXIT.ok, expect.stringMatching(/^search +monolith/m)]);
    } finally {
      env = { GATEWAY_URL: gateway.url, GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN, GATEWAY_ADMIN_USER: 'dana' };
    }
  });

  it('says when the gateway cannot be reached', async () => {
    const port = await freePort();
    env = { ...env, GATEWAY_URL: `http://127.0.0.1:${port}` };
    try {
      const { code, err } = await route('list');
      expect(code).toBe(EXIT.failed);
      expect(err).toBe(
        `route: cannot reach the gateway at http://127.0.0.1:${port} (ECONNREFUSED); is it running? (npm start)`,
      );
    } finally {
      env = { ...env, GATEWAY_URL: gateway.url };
    }
  });

  it.each([[[]], [['launch']], [['set', 'search']], [['list', 'extra']]])(
    'prints usage and exits 2 for %j',
    async (args) => {
      const { code, err } = await route(...args);
      expect(code).toBe(EXIT.usage);
      expect(err).toMatch(/usage: npm run route -- <command>/);
    },
  );
});
