import type { IncomingMessage, ServerResponse } from 'node:http';
import { eventually } from '@app/platform';
import {
  ADMIN_AUTH,
  TestGateway,
  Upstream,
  routesYaml,
  send,
  startTestGateway,
  startUpstream,
} from '../../../test/support/gateway';
import { seeded } from '../../../test/support/seeded';

/** Replay a failure with DELIVERY_SEED=<the seed printed>. */
const SEED = Number(process.env.DELIVERY_SEED ?? 20261201);
const REQUESTS = 400;
const CONCURRENCY = 8;

interface Report {
  state: string;
  shadow: {
    compared: number;
    matched: number;
    matchRate: number;
    failed: number;
    skipped: number;
    noiseFields: string[];
    fields: { path: string; count: number; rate: number }[];
    examples: { url: string; paths: string[] }[];
  };
}

/** The answer both sides agree on, plus what the monolith varies by itself on every answer. */
function item(id: number) {
  return { id, title: `post ${id}`, tags: ['python', `t${id % 7}`], score: id * 3 };
}

function json(res: ServerResponse, value: unknown): void {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(value));
}

describe('shadow traffic', () => {
  const random = seeded(SEED);
  /** The ids whose candidate answer carries a wrong score: a seeded tenth of them. */
  const wrong = new Set<number>();
  const candidateSeen: string[] = [];
  let releaseHeld: (() => void) | undefined;
  let monolith: Upstream;
  let candidate: Upstream;
  let gateway: TestGateway;

  const report = async (): Promise<Report> =>
    (await fetch(`${gateway.url}/_gateway/routes/items/report`, { headers: ADMIN_AUTH })).json() as Promise<Report>;

  beforeAll(async () => {
    process.stdout.write(`shadow spec: seed ${SEED} (replay with DELIVERY_SEED=${SEED})\n`);
    for (let id = 1; id <= REQUESTS; id++) if (random() < 0.1) wrong.add(id);
    monolith = await startUpstream((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      if (req.url === '/health') return json(res, { status: 'ok' });
      const id = Number(req.url?.split('/')[2]);
      json(res, {
        ...item(id),
        requestId: Math.random().toString(36).slice(2),
        generatedAt: Date.now() + Math.random(),
      });
    });
    candidate = await startUpstream((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      if (req.url === '/health') return json(res, { status: 'ok' });
      candidateSeen.push(`${req.method} ${req.url}`);
      const id = Number(req.url?.split('/')[2]);
      const answer = () =>
        json(res, {
          ...item(id),
          score: wrong.has(id) ? item(id).score + 1 : item(id).score,
          requestId: Math.random().toString(36).slice(2),
          generatedAt: Date.now(),
        });
      if (req.url === '/items/held') releaseHeld = answer;
      else answer();
    });
    gateway = await startTestGateway(
      routesYaml({
        monolithUrl: monolith.url,
        httpTargets: { candidate: candidate.url },
        routes: [
          {
            name: 'items',
            target: 'monolith',
            match: [{ path: '/items/:id' }],
            mode: 'shadow',
            fields: { candidate: 'candidate', shadow: { maxInFlight: 64, timeoutMs: 10_000 } },
          },
        ],
      }),
    );
  });

  afterAll(async () => {
    await gateway?.stop();
    await monolith?.close();
    await candidate?.close();
  });

  it('reports the one field the candidate gets wrong, at its rate, and not the fields the monolith varies', async () => {
    let next = 1;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let id = next++; id <= REQUESTS; id = next++) {
          const res = await send(`${gateway.url}/items/${id}`);
          expect([res.status, res.headers['x-served-by']]).toEqual([200, 'monolith']);
        }
      }),
    );
    const done = await eventually(report, (r) => r.shadow.compared + r.shadow.failed + r.shadow.skipped >= REQUESTS);
    const { shadow } = done;
    const expected = wrong.size / REQUESTS;
    expect(shadow).toMatchObject({ compared: REQUESTS, failed: 0, skipped: 0 });
    expect(shadow.noiseFields).toEqual(expect.arrayContaining(['generatedAt', 'requestId']));
    expect(shadow.fields.map((field) => field.path)).toEqual(['score']);
    expect(Math.abs(shadow.fields[0].rate - expected)).toBeLessThan(0.03);
    expect(Math.abs(shadow.fields[0].rate - 0.1)).toBeLessThan(0.04);
    expect(shadow.matchRate).toBeCloseTo(1 - expected, 5);
    expect(shadow.examples.length).toBeGreaterThan(0);
    expect(shadow.examples.length).toBeLessThanOrEqual(5);
    for (const example of shadow.examples) {
      expect(example.paths).toEqual(['score']);
      expect(wrong.has(Number(example.url.split('/')[2]))).toBe(true);
    }
    const metrics = await (await fetch(`${gateway.url}/_gateway/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`gateway_shadow_comparisons_total\\{route="items",result="differ"[^}]*\\} ${wrong.size}\n`),
    );
  });

  it('never copies an unsafe method to the candidate', async () => {
    const before = candidateSeen.length;
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(`${gateway.url}/items/7`, { method, body: '{}' });
      expect([res.status, res.headers.get('x-served-by')]).toEqual([200, 'monolith']);
      await res.text();
    }
    await send(`${gateway.url}/items/8`);
    await eventually(
      () => candidateSeen.slice(before),
      (seen) => seen.includes('GET /items/8'),
    );
    expect(candidateSeen.slice(before)).toEqual(['GET /items/8']);
  });

  it('answers the client while the candidate has not answered yet', async () => {
    const res = await send(`${gateway.url}/items/held`);
    expect(res.headers['x-served-by']).toBe('monolith');
    const held = await eventually(
      () => releaseHeld,
      (release) => release !== undefined,
    );
    expect(held).toBeDefined();
    const { shadow } = await report();
    expect(shadow.compared + shadow.failed).toBeLessThan(REQUESTS + 2);
    releaseHeld?.();
    await eventually(report, (r) => r.shadow.compared + r.shadow.failed >= REQUESTS + 2);
  });
});
