import type { LoadtestResult } from '../result';
import { anAutocannonResult, anEndpoint, aThreeStageRun } from '../testing/fixtures';
import { expectWellFormedSvg, tableRows } from '../testing/report';
import { formatMs, formatRps } from './format';
import { renderReport } from './markdown';

function withFlipAndNotes(run: LoadtestResult): LoadtestResult {
  const after = run.stages[2];
  after.notes = ['route engagement stayed on the monolith: the engagement service is not built'];
  after.flip = {
    route: 'search',
    phases: [
      {
        index: 0,
        target: 'search',
        startSeconds: 0,
        endSeconds: 2,
        flipMs: 0,
        all: { requests: 100, non2xx: 0, errors: 0, fallbacks: 0, servedBy: { search: 30, monolith: 70 } },
        route: { requests: 30, non2xx: 0, errors: 0, fallbacks: 0, servedBy: { search: 30 } },
      },
      {
        index: 1,
        target: 'monolith',
        startSeconds: 2,
        endSeconds: 4,
        flipMs: 12.5,
        all: { requests: 90, non2xx: 3, errors: 1, fallbacks: 2, servedBy: { monolith: 90 } },
        route: { requests: 25, non2xx: 1, errors: 0, fallbacks: 0, servedBy: { monolith: 25 } },
      },
    ],
  };
  return run;
}

describe('renderReport', () => {
  const run = withFlipAndNotes(aThreeStageRun());
  const { markdown, charts } = renderReport([run], 'example');

  it('shows, per endpoint and stage, exactly the figures autocannon measured', () => {
    const rows = tableRows(markdown, 'endpoint | stage');
    expect(rows).toHaveLength(6);
    for (const [endpoint, stage, rps, p50, p90, p99, max, requests, non2xx, errors] of rows) {
      const raw = run.stages
        .find((s) => s.stage === stage)
        ?.endpoints.find((e) => `\`${e.name}\`` === endpoint)?.autocannon;
      if (!raw) throw new Error(`no result for ${endpoint} ${stage}`);
      expect([rps, p50, p90, p99, max]).toEqual([
        formatRps(raw.requests.total / raw.duration),
        formatMs(raw.latency.p50),
        formatMs(raw.latency.p90),
        formatMs(raw.latency.p99),
        formatMs(raw.latency.max),
      ]);
      expect([requests, non2xx, errors]).toEqual([String(raw.requests.total), String(raw.non2xx), String(raw.errors)]);
    }
  });

  it('spells out the after ÷ before and gateway ÷ direct ratios with the numbers they come from', () => {
    expect(markdown).toContain(
      '**Gateway overhead** (direct vs before, same run): total throughput 0.80× (600 → 480 req/s)',
    );
    expect(markdown).toContain('the gateway process spent 200 µs of CPU per request');
    expect(markdown).toContain(
      '**After vs before** (same run): total throughput 1.50× (480 → 720 req/s); 1205 → 800 µs of CPU per request for the whole stack (0.66×); ' +
        'at 720 req/s the gateway spent 200 µs of CPU per request.',
    );
    expect(markdown).toContain(
      '`GET /search` (monolith → search): 4.00× the throughput (80.0 → 320 req/s), p50 0.24× (12.5 → 3.00 ms), p99 0.24× (50.0 → 12.0 ms)',
    );
    expect(tableRows(markdown, 'endpoint | direct req/s')).toContainEqual([
      '`GET /posts/:id`',
      '500',
      '400',
      '0.80×',
      '+0.50',
      '+2.00',
    ]);
    expect(tableRows(markdown, 'endpoint | served by (before → after)')).toContainEqual([
      '`GET /search`',
      'monolith → search',
      '80.0',
      '320',
      '4.00×',
      '0.24×',
      '0.24×',
    ]);
  });

  it('tells how many moved endpoints answered exactly as the monolith did', () => {
    const checked = aThreeStageRun();
    checked.stages[2].parity = [
      {
        endpoint: 'GET /search',
        request: 'GET /search?q=pyt',
        same: true,
        fallback: false,
        detail: 'served by search',
      },
      { endpoint: 'GET /tags', request: 'GET /tags', same: false, fallback: false, detail: 'the bodies differ' },
    ];
    expect(renderReport([checked], 'checked').markdown).toContain(
      'Checked before measuring: 1 of 2 moved GET endpoints answered the same request exactly as the monolith did.',
    );
  });

  it('gives CPU per request of every process and of the whole stack, per stage', () => {
    const rows = tableRows(markdown, 'process');
    expect(rows).toContainEqual(['store', '0.05', '600 (0.50)', '600 (0.50)', '200 (0.50)']);
    expect(rows.at(-1)).toEqual(['**stack total** (all but client)', '', '**1005**', '**1205**', '**800**']);
  });

  it('puts what a reader must know first, and counts the failures of every flip phase', () => {
    expect(markdown).toContain(
      '- **after**: route engagement stayed on the monolith: the engagement service is not built',
    );
    expect(markdown).toContain(
      'route `search` flipped 1 time through the admin API while traffic ran; 4 requests failed (non-2xx or errors), 1 of them on the route’s endpoints, and 2 were fallbacks',
    );
    expect(tableRows(markdown, 'phase')).toEqual([
      ['0', 'search', '0.0–2.0', '0.00', '100', '0', '30', '0', '0', 'search 30'],
      ['1', 'monolith', '2.0–4.0', '12.5', '90', '4', '25', '1', '0', 'monolith 25'],
    ]);
  });

  it('names the store, as its server reported itself, and the data size in the title, the charts and the environment', () => {
    expect(markdown.split('\n')[0]).toBe(
      '# Load test: direct, before, after (reads scenario, 1000 posts on FerretDB 1.24.2 (MongoDB 7.0.42 protocol))',
    );
    for (const svg of Object.values(charts)) expect(svg).toContain('1000 posts on FerretDB 1.24.2');
    const environment = Object.fromEntries(tableRows(markdown, ' | ').map(([key, value]) => [key, value]));
    expect(environment.store).toBe(
      'FerretDB 1.24.2 (MongoDB 7.0.42 protocol) (the embedded FerretDB: it scans every document for any query not by _id)',
    );
    expect(environment.data).toBe('1000 posts');
  });

  it('names the store of an older result by what it recorded', () => {
    const older = aThreeStageRun();
    older.environment = { ...older.environment, store: 'ferretdb', storeKind: undefined };
    const report = renderReport([older], 'older').markdown;
    expect(report.split('\n')[0]).toContain('(reads scenario, 1000 posts on ferretdb)');
    expect(Object.fromEntries(tableRows(report, ' | ')).store).toBe('ferretdb');
  });

  it('links its two charts, which are well-formed SVG', () => {
    expect(Object.keys(charts)).toEqual(['example-endpoints.svg', 'example-cpu.svg']);
    for (const [file, svg] of Object.entries(charts)) {
      expect(markdown).toContain(`](${file})`);
      expectWellFormedSvg(svg);
    }
  });

  it('ends with the commands that measure again and redraw the report', () => {
    expect(markdown).toContain(
      'npm run loadtest -- --scenario reads --stage direct,before,after --posts 1000 --duration 10s --warmup 2s --connections 8 --requests 100000 --name example',
    );
    expect(markdown).toContain('npm run loadtest:report -- loadtest/reports/example.json --name example');
  });

  it('says so where an endpoint got no answer at all, rather than showing zero latencies or ratios', () => {
    const slow = aThreeStageRun();
    slow.stages[1].endpoints[1] = anEndpoint(
      'GET /search',
      'search',
      anAutocannonResult({ total: 0, duration: 10, p50: 0, p90: 0, p99: 0, max: 0, errors: 12 }),
    );
    const { markdown: report, charts: svgs } = renderReport([slow], 'slow');
    expect(tableRows(report, 'endpoint | stage')).toContainEqual([
      '`GET /search`',
      'before',
      '0',
      '–',
      '–',
      '–',
      '–',
      '0',
      '0',
      '12',
      '–',
    ]);
    expect(report).toContain(
      '`GET /search` (monolith → search): before, no request completed (12 errors or timeouts, 0 non-2xx); after, 320 req/s, p50 3.00 ms, p99 12.0 ms.',
    );
    expect(tableRows(report, 'endpoint | direct req/s')).toContainEqual([
      '`GET /search`',
      '100',
      '0',
      'n/a',
      'n/a',
      'n/a',
    ]);
    expect(svgs['slow-endpoints.svg']).toContain('>no answer</text>');
  });

  it('shows several runs side by side without drawing ratios across them', () => {
    const direct = { ...aThreeStageRun('a'), stages: [aThreeStageRun('a').stages[0]] };
    const before = { ...aThreeStageRun('b'), stages: [aThreeStageRun('b').stages[1]] };
    const report = renderReport([direct, before], 'two-runs').markdown;
    expect(report).toContain('direct (run 1)');
    expect(report).toContain('before (run 2)');
    expect(report).not.toContain('## Summary');
    expect(report).not.toContain('Gateway overhead');
  });
});
