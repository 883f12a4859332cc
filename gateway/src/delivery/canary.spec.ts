import type { IncomingMessage, ServerResponse } from 'node:http';
import { eventually } from '@app/platform';
import {
  ADMIN_AUTH,
  TestGateway,
  Upstream,
  namedUpstream,
  routesYaml,
  startTestGateway,
  startUpstream,
} from '../../../test/support/gateway';
import { seeded } from '../../../test/support/seeded';

/** Replay a failure with DELIVERY_SEED=<the seed printed>. */
const SEED = Number(process.env.DELIVERY_SEED ?? 20261201);
const CONCURRENCY = 8;
/** Verdict settings that leave latency unjudged, for cases about something else on a busy machine. */
const CALM = { p99SlackMs: 600_000 };

interface Report {
  state: string;
  weight: number;
  window: { monolith: { requests: number }; candidate: { requests: number; errors: number } };
  lastVerdict: { verdict: string; reason: string } | null;
}

interface AuditItem {
  who: string;
  principal: string;
  state: string;
  weight: number;
  why: string | null;
}

/** A candidate whose behaviour the test changes mid-run: how often it fails, how long it takes. */
function adjustableCandidate() {
  const behaviour = { failEvery: 0, delayMs: 0, served: 0 };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    if (req.url === '/health') return res.end('{"status":"ok"}');
    behaviour.served++;
    const fail = behaviour.failEvery > 0 && behaviour.served % behaviour.failEvery === 0;
    setTimeout(() => {
      res.statusCode = fail ? 500 : 200;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ answeredBy: 'candidate' }));
    }, behaviour.delayMs);
  };
  return { behaviour, handler };
}

describe('canary', () => {
  let monolith: Upstream;
  let candidate: Upstream;
  let gateway: TestGateway | undefined;
  const { behaviour, handler } = adjustableCandidate();
  const random = seeded(SEED);

  const start = async (fields: Record<string, unknown>) => {
    gateway = await startTestGateway(
      routesYaml({
        monolithUrl: monolith.url,
        httpTargets: { candidate: candidate.url },
        routes: [
          {
            name: 'items',
            target: 'monolith',
            match: [{ path: '/items/:id' }, { path: '/users/:user/items', methods: ['GET'] }],
            mode: 'canary',
            fields: { candidate: 'candidate', sticky: { header: 'x-user-id' }, ...fields },
          },
        ],
      }),
    );
    return gateway;
  };
  const admin = async <T>(path: string): Promise<T> =>
    (await fetch(`${gateway?.url}/_gateway/${path}`, { headers: ADMIN_AUTH })).json() as Promise<T>;
  const report = () => admin<Report>('routes/items/report');

  /** Sends `count` GETs with distinct seeded user keys, CONCURRENCY at a time; what each got. */
  async function traffic(count: number, until?: () => boolean) {
    const answers: { key: string; servedBy: string | null; status: number }[] = [];
    let next = 0;
    const prefix = Math.floor(random() * 1e9).toString(36);
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < count && !until?.(); i = next++) {
          const key = `${prefix}-${i}`;
          const res = await fetch(`${gateway?.url}/items/${i}`, { headers: { 'x-user-id': key } });
          await res.text();
          answers.push({ key, servedBy: res.headers.get('x-served-by'), status: res.status });
        }
      }),
    );
    return answers;
  }

  beforeAll(async () => {
    process.stdout.write(`canary spec: seed ${SEED} (replay with DELIVERY_SEED=${SEED})\n`);
    monolith = await startUpstream(namedUpstream('monolith'));
    candidate = await startUpstream(handler);
  });

  beforeEach(() => {
    Object.assign(behaviour, { failEvery: 0, delayMs: 0, served: 0 });
  });

  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
  });

  afterAll(async () => {
    await monolith?.close();
    await candidate?.close();
  });

  it('at weight 30 sends 30 % ± 3 of 2 000 distinct clients to the candidate', async () => {
    await start({ weight: 30, verdict: CALM });
    const answers = await traffic(2_000);
    const share = answers.filter((a) => a.servedBy === 'candidate').length / answers.length;
    expect(answers).toHaveLength(2_000);
    expect(Math.abs(share - 0.3)).toBeLessThanOrEqual(0.03);
    const metrics = await (await fetch(`${gateway?.url}/_gateway/metrics`)).text();
    expect(metrics).toMatch(/gateway_canary_requests_total\{route="items",side="candidate"[^}]*\} \d+/);
  });

  it('sends the same key to the same side every time, by header or by path parameter', async () => {
    await start({ weight: 50, verdict: CALM });
    const first = await traffic(200);
    for (const { key, servedBy } of first.slice(0, 50)) {
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${gateway?.url}/items/${i}`, { headers: { 'x-user-id': key } });
        await res.text();
        expect(res.headers.get('x-served-by')).toBe(servedBy);
      }
    }
    await gateway?.stop();
    await start({ weight: 50, sticky: { param: 'user' }, verdict: CALM });
    const sides = new Set<string | null>();
    for (let user = 0; user < 40; user++) {
      const seen = new Set<string | null>();
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${gateway?.url}/users/u${user}/items`);
        await res.text();
        seen.add(res.headers.get('x-served-by'));
      }
      expect(seen.size).toBe(1);
      sides.add([...seen][0]);
    }
    expect(sides).toEqual(new Set(['monolith', 'candidate']));
  });

  it('keeps writes on the target', async () => {
    await start({ weight: 100 });
    const res = await fetch(`${gateway?.url}/items/1`, { method: 'POST', body: '{}' });
    await res.text();
    expect(res.headers.get('x-served-by')).toBe('monolith');
  });

  it('rolls back a candidate that starts failing 20 % of requests, with no more failures than the window allows', async () => {
    const verdict = { ...CALM, windowRequests: 100, minRequests: 40, maxErrorRateIncrease: 0.05 };
    await start({ weight: 50, verdict });
    await traffic(200);
    expect(await report()).toMatchObject({ state: 'canary', lastVerdict: { verdict: 'healthy' } });
    behaviour.failEvery = 5;
    let rolledBack = false;
    const watcher = eventually(report, (r) => r.state !== 'canary', 60_000).then(() => {
      rolledBack = true;
    });
    const answers = await traffic(4_000, () => rolledBack);
    await watcher;
    const failed = answers.filter((a) => a.status >= 500).length;
    const after = await report();
    expect(after).toMatchObject({ state: 'monolith', lastVerdict: { verdict: 'rollback' } });
    expect(after.lastVerdict?.reason).toMatch(/^candidate error rate .* exceeds the baseline's/);
    // The window breaches once its failures pass 5 % of what it holds: at most 5 % of 100, plus the one that tips it.
    expect(failed).toBeLessThanOrEqual(verdict.windowRequests * verdict.maxErrorRateIncrease + 1);
    expect(failed).toBeGreaterThan(0);
    const { items } = await admin<{ items: AuditItem[] }>('audit?limit=1');
    expect(items[0]).toMatchObject({ who: 'gateway', principal: 'gateway', state: 'monolith' });
    expect(items[0].why).toMatch(/^rollback: candidate error rate/);
    const metrics = await (await fetch(`${gateway?.url}/_gateway/metrics`)).text();
    expect(metrics).toMatch(/gateway_rollbacks_total\{route="items",reason="error_rate"[^}]*\} 1\n/);
    const later = await traffic(50);
    expect(later.every((a) => a.servedBy === 'monolith')).toBe(true);

    behaviour.failEvery = 0;
    const restarted = await fetch(`${gateway?.url}/_gateway/routes/items/canary`, {
      method: 'POST',
      headers: { ...ADMIN_AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ candidate: 'candidate', weight: 50, reason: 'fixed' }),
    });
    expect(restarted.status).toBe(200);
    const again = await traffic(100);
    expect(again.filter((a) => a.servedBy === 'candidate').length).toBeGreaterThan(0);
  });

  it('rolls back a candidate whose p99 is over the threshold', async () => {
    behaviour.delayMs = 120;
    await start({ weight: 50, verdict: { windowRequests: 50, minRequests: 20, maxP99Ratio: 2, p99SlackMs: 40 } });
    await eventually(
      async () => {
        await traffic(40);
        return report();
      },
      (r) => r.state !== 'canary',
      60_000,
    );
    const after = await report();
    expect(after).toMatchObject({ state: 'monolith', lastVerdict: { verdict: 'rollback' } });
    expect(after.lastVerdict?.reason).toMatch(/^candidate p99 .* exceeds the baseline's/);
    const metrics = await (await fetch(`${gateway?.url}/_gateway/metrics`)).text();
    expect(metrics).toMatch(/gateway_rollbacks_total\{route="items",reason="p99"[^}]*\} 1\n/);
  });

  it('never judges a quiet route with fewer candidate requests than the minimum', async () => {
    behaviour.failEvery = 1;
    await start({ weight: 100, verdict: { minRequests: 30 } });
    await traffic(29);
    const quiet = await report();
    expect(quiet).toMatchObject({
      state: 'canary',
      window: { candidate: { requests: 29, errors: 29 } },
      lastVerdict: { verdict: 'waiting', reason: '29 of the 30 candidate requests needed for a verdict' },
    });
  });

  it('promotes step by step after each dwell, to live, and a breach stops it', async () => {
    const promotion = { steps: [10, 50, 100], dwellMs: 300 };
    await start({ weight: 10, promotion, verdict: { ...CALM, windowRequests: 50, minRequests: 10 } });
    const weights = new Set<number>();
    const done = await eventually(
      async () => {
        await traffic(60);
        const r = await report();
        weights.add(r.weight);
        return r;
      },
      (r) => r.state === 'live',
      90_000,
    );
    expect(done.state).toBe('live');
    const { items } = await admin<{ items: AuditItem[] }>('audit?limit=3');
    expect(items.map((i) => [i.who, i.state, i.weight])).toEqual([
      ['gateway', 'live', 0],
      ['gateway', 'canary', 100],
      ['gateway', 'canary', 50],
    ]);
    expect(items[2].why).toMatch(/^promotion: 10% held 300 ms over \d+ candidate requests without a breach/);

    await gateway?.stop();
    behaviour.failEvery = 2;
    await start({ weight: 10, promotion, verdict: { ...CALM, windowRequests: 50, minRequests: 10 } });
    const stopped = await eventually(
      async () => {
        await traffic(100);
        return report();
      },
      (r) => r.state !== 'canary',
      60_000,
    );
    expect(stopped.state).toBe('monolith');
    const audit = await admin<{ items: AuditItem[] }>('audit?limit=5');
    expect(audit.items.filter((i) => i.why?.startsWith('promotion'))).toEqual([]);
  });
});
