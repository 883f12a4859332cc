import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { HTTP_BRIDGE } from '@app/contracts';
import { Stack, startStack } from '../scripts/lib/stack';
import { rawExchange } from './support/raw-http';

const TOKEN = 'fuzz-test-token';
const ROUTES = path.resolve(__dirname, '..', 'gateway', 'routes.yaml');
/** Replay a failure with FUZZ_SEED=<the seed printed>. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
/** Longer than any timeout of the gateway: no answer by then is a hang. */
const HANG_MS = 15_000;

interface Probe {
  method: string;
  target: string;
  headers: [string, string][];
  body: string;
}

const ADMIN_PATHS = ['/_gateway/routes', '/_gateway/routes/{p}', '/_gateway/routes/{p}/rollback', '/_gateway/audit'];

/** Path segments a hostile client would try: real ids, junk, broken and double percent-encoding, dot segments. */
const segment = (postId: string) =>
  fc.oneof(
    fc.constant(postId),
    fc.constantFrom('%E0%A4%A', '%', '%zz', '%00', '%2e%2e', '..', '%252F', 'a%2Fb', '$where', '%C0%AF', '~'),
    fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@%-]{1,24}$/),
  );

const query = fc
  .array(fc.tuple(fc.stringMatching(/^[A-Za-z0-9$[\]._%-]{0,8}$/), fc.stringMatching(/^[A-Za-z0-9$[\]._%+-]{0,12}$/)), {
    maxLength: 4,
  })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`));

const headers = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'application/json; charset="latin1"',
      'text/plain',
      'application/x-www-form-urlencoded',
      '*/*',
    ),
    'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'x-unknown', 'gzip, identity'),
    'x-request-id': fc.stringMatching(/^[ -~]{0,80}$/),
    'x-admin-user': fc.constantFrom('file', 'cli', 'alice', 'bad user!', ''),
    authorization: fc.constantFrom(`Bearer ${TOKEN}`, 'Bearer nope', 'Basic abc', 'Bearer'),
    host: fc.constantFrom('127.0.0.1', 'evil.example', 'localhost'),
    connection: fc.constantFrom('keep-alive', 'x-secret', 'te, upgrade'),
    'x-forwarded-for': fc.constantFrom('10.0.0.1', 'garbage', '1.1.1.1, 2.2.2.2'),
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  fc.constant(''),
  fc.json({ maxDepth: 2 }),
  fc.string({ maxLength: 60 }),
  fc
    .record(
      {
        user: fc.oneof(fc.stringMatching(/^[a-z0-9_-]{1,12}$/), fc.string(), fc.integer()),
        tags: fc.array(fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,8}$/), fc.string()), { maxLength: 12 }),
        hiddenTags: fc.array(fc.string(), { maxLength: 3 }),
        target: fc.constantFrom('monolith', 'search', 'nope', ''),
        mode: fc.constantFrom('live', 'shadow'),
        $where: fc.constant('1'),
        extra: fc.integer(),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
);

function probes(postId: string): fc.Arbitrary<Probe> {
  const bridged = fc
    .tuple(
      fc.constantFrom(...HTTP_BRIDGE),
      fc.constantFrom('entry', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
      segment(postId),
      query,
    )
    .map(([entry, method, param, search]) => ({
      method: method === 'entry' ? entry.method : method,
      target: `${entry.path.replace(/:[a-z]+/g, param)}${search}`,
    }));
  const adminApi = fc
    .tuple(
      fc.constantFrom(...ADMIN_PATHS),
      fc.constantFrom('GET', 'PUT', 'POST', 'DELETE'),
      fc.oneof(fc.constantFrom('search', 'engagement', 'tags', 'default'), segment(postId)),
      query,
    )
    .map(([template, method, param, search]) => ({ method, target: `${template.replace('{p}', param)}${search}` }));
  const absolute = bridged.map((probe) => ({ ...probe, target: `http://example.test${probe.target}` }));
  return fc
    .tuple(fc.oneof({ weight: 5, arbitrary: bridged }, { weight: 2, arbitrary: adminApi }, absolute), headers, body)
    .map(([{ method, target }, chosen, text]) => ({
      method,
      target,
      headers: Object.entries(chosen).filter(([, value]) => value !== ''),
      body: text,
    }));
}

function requestText({ method, target, headers, body }: Probe): string {
  const named = new Map(headers);
  const lines = [`${method} ${target} HTTP/1.1`, `host: ${named.get('host') ?? '127.0.0.1'}`];
  for (const [name, value] of headers) if (name !== 'host' && name !== 'connection') lines.push(`${name}: ${value}`);
  // The connection ends with each answer, so an answer that never comes is seen as a hang.
  lines.push(`connection: close${named.has('connection') ? `, ${named.get('connection')}` : ''}`);
  lines.push(`content-length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

describe('the gateway under generated hostile input', () => {
  let dataDir: string;
  let stack: Stack | undefined;
  let gateway: string;
  let postId: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-fuzz-'));
    const routesFile = path.join(dataDir, 'routes.yaml');
    // Every bridged route on its service, so each request crosses the bridge.
    const routes = fs
      .readFileSync(ROUTES, 'utf8')
      .replace(/(name: search[\s\S]*?target: )monolith/, '$1search')
      .replace(/(name: recommendations[\s\S]*?target: )monolith/, '$1recommendations')
      .replace(/(name: tags[\s\S]*?target: )monolith/, '$1tagging')
      .replace(/(name: engagement[\s\S]*?target: )monolith/, '$1engagement');
    fs.writeFileSync(routesFile, routes);
    stack = await startStack({
      dataDir,
      randomPorts: true,
      env: { LOG_LEVEL: 'warn', ROUTES_FILE: routesFile, GATEWAY_ADMIN_TOKEN: TOKEN, BODY_TIMEOUT_MS: '2000' },
    });
    gateway = stack.url('gateway');
    const created = await fetch(`${stack.url('monolith')}/posts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Fuzzing the gateway', author: 'ann' }),
    });
    postId = ((await created.json()) as { id: string }).id;
    // Every service has the post before the first probe, so real ids reach real data.
    for (const consumer of ['search', 'recommendations', 'tagging', 'engagement']) {
      const caughtUp = await fetch(`${stack.url('sync')}/cutover`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ consumer, timeoutMs: 60_000 }),
      });
      expect(caughtUp.status).toBe(200);
    }
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('never answers 5xx to what a client sends, never opens a breaker and never hangs', async () => {
    process.stdout.write(`gateway fuzz: seed ${SEED}, ${RUNS} runs (replay with FUZZ_SEED=${SEED})\n`);
    await fc.assert(
      fc.asyncProperty(probes(postId), async (probe) => {
        const answer = await rawExchange(gateway, [requestText(probe)], { waitMs: HANG_MS });
        if (answer.status === 0) throw new Error(`no answer within ${HANG_MS} ms`);
        if (answer.status >= 500) throw new Error(`answered ${answer.status}: ${answer.body}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    const health = (await (await fetch(`${gateway}/_gateway/health`)).json()) as {
      targets: Record<string, { breaker?: string }>;
    };
    for (const [name, target] of Object.entries(health.targets)) {
      if (target.breaker !== undefined) expect({ name, breaker: target.breaker }).toEqual({ name, breaker: 'closed' });
    }
    const like = await fetch(`${gateway}/posts/${postId}/likes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'still-served' }),
    });
    expect({ status: like.status, servedBy: like.headers.get('x-served-by') }).toEqual({
      status: 202,
      servedBy: 'engagement',
    });
  }, 240_000);
});
