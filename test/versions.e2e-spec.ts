import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseDocument } from 'yaml';
import { Stack, startStack } from '../scripts/lib/stack';
import { eventually } from '@app/platform';
import { TRANSPORTS } from '@app/transport';
import { brokerVerdict } from '../scripts/lib/brokers';
import { brokerCase } from './support/broker-cases';
import { callGateway } from './support/gateway';

const TOKEN = 'versions-test-token';
const ROUTES = path.resolve(__dirname, '..', 'gateway', 'routes.yaml');
const BROKER_URLS = ['REDIS_URL', 'NATS_URL', 'RABBITMQ_URL', 'MQTT_URL'];

/** The shipped routes with search@v2 declared and /search a canary from search to search@v2. */
function canaryRoutes(): string {
  const document = parseDocument(fs.readFileSync(ROUTES, 'utf8'));
  document.setIn(['targets', 'search@v2'], document.createNode({ type: 'rpc' }));
  const routes = document.get('routes') as { items: { get(key: string): unknown }[] };
  const index = routes.items.findIndex((item) => item.get('name') === 'search');
  for (const [key, value] of Object.entries({
    target: 'search',
    mode: 'canary',
    candidate: 'search@v2',
    weight: 50,
    sticky: { header: 'x-user-id' },
  }))
    document.setIn(['routes', index, key], value);
  return document.toString();
}

describe.each(TRANSPORTS)('two versions of search side by side over %s', (transport) => {
  const verdict = brokerVerdict(transport);
  let dataDir: string;
  let stack: Stack | undefined;
  let gateway: string;

  if ('fail' in verdict) {
    it('reaches its broker', () => {
      throw new Error(verdict.fail);
    });
  }
  const it_ = brokerCase(verdict);

  beforeAll(async () => {
    if (!verdict.run) return;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `strangler-versions-${transport}-`));
    const routesFile = path.join(dataDir, 'routes.yaml');
    fs.writeFileSync(routesFile, canaryRoutes());
    const brokers = Object.fromEntries(
      BROKER_URLS.filter((key) => process.env[key]).map((key) => [key, process.env[key] as string]),
    );
    stack = await startStack({
      dataDir,
      randomPorts: true,
      services: ['search'],
      versions: ['search@v2'],
      env: {
        ...brokers,
        LOG_LEVEL: 'warn',
        TRANSPORT: transport,
        // Queues and subjects of their own, apart from any other run on the same brokers.
        QUEUE_PREFIX: `versions-${randomBytes(4).toString('hex')}`,
        SYNC_POLL_MS: '50',
        // A loaded machine (the whole suite at once) must not turn a slow answer into a fallback.
        RPC_TIMEOUT_MS: '15000',
        ROUTES_FILE: routesFile,
        GATEWAY_ADMIN_TOKEN: TOKEN,
      },
    });
    gateway = stack.url('gateway');
    // The relay feeds search (v1) alone: v2 runs on its own empty database, so an answer tells which one gave it.
    const created = await callGateway(gateway, 'POST', '/posts', { title: 'Zanzibar quokka tales', author: 'ann' });
    expect(created.status).toBe(201);
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it_(
    'splits /search between search and search@v2 by key, each answered by its own process',
    async () => {
      const ask = (key: string) => callGateway(gateway, 'GET', '/search?q=zanzibar', undefined, { 'x-user-id': key });
      // v1 has the post once the relay has delivered it; both clients are connected once each side has answered.
      const warm = await eventually(
        async () => {
          const seen = new Map<string | null, number>();
          for (let i = 0; i < 20; i++) {
            const answer = await ask(`probe-${i}`);
            if (answer.fallback === null) seen.set(answer.servedBy, (answer.body as { total: number }).total);
          }
          return seen;
        },
        (seen) => seen.get('search') === 1 && seen.has('search@v2'),
        60_000,
      );
      expect(warm.get('search')).toBe(1);
      const answers = [];
      for (let i = 0; i < 60; i += 6) {
        answers.push(...(await Promise.all(Array.from({ length: 6 }, (_, j) => ask(`user-${i + j}`)))));
      }
      const bySide = new Map<string | null, number[]>();
      for (const answer of answers) {
        expect(answer).toMatchObject({ status: 200, fallback: null });
        bySide.set(answer.servedBy, [...(bySide.get(answer.servedBy) ?? []), (answer.body as { total: number }).total]);
      }
      expect([...bySide.keys()].sort()).toEqual(['search', 'search@v2']);
      expect(new Set(bySide.get('search'))).toEqual(new Set([1]));
      expect(new Set(bySide.get('search@v2'))).toEqual(new Set([0]));
      for (const [i, answer] of answers.slice(0, 10).entries()) {
        expect((await ask(`user-${i}`)).servedBy).toBe(answer.servedBy);
      }
      const report = await callGateway(gateway, 'GET', '/_gateway/routes/search/report', undefined, {
        authorization: `Bearer ${TOKEN}`,
      });
      expect(report.body).toMatchObject({ state: 'canary', target: 'search', candidate: 'search@v2', weight: 50 });
      const health = await fetch(`${stack?.url('search@v2')}/health`);
      expect(health.status).toBe(200);
    },
    120_000,
  );
});
