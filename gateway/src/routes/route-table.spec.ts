import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MICROSERVICE_NAMES } from '@app/registry';
import { REPO_ROOT } from '../gateway.config';
import { RouteTableError, parseRouteTable } from './route-table';

const variables = { MONOLITH_URL: 'http://127.0.0.1:3001' };

function table(routes: string, extraTargets = ''): string {
  return [
    'default: monolith',
    'targets:',
    '  monolith: { type: http, url: "${MONOLITH_URL}" }',
    '  search: { type: rpc }',
    '  legacy: { type: http, url: "http://127.0.0.1:4000/api" }',
    extraTargets,
    'routes:',
    routes,
  ].join('\n');
}

function problemsOf(text: string): string[] {
  try {
    parseRouteTable(text, variables);
  } catch (error) {
    if (error instanceof RouteTableError) return error.problems;
    throw error;
  }
  throw new Error('expected the table to be rejected');
}

describe('routes.yaml', () => {
  describe('the shipped file', () => {
    const shipped = parseRouteTable(readFileSync(join(REPO_ROOT, 'gateway', 'routes.yaml'), 'utf8'), variables);

    it('sends every product route to the monolith', () => {
      expect(shipped.routes.map((r) => [r.name, r.target.name, r.mode])).toEqual([
        ['search', 'monolith', 'live'],
        ['recommendations', 'monolith', 'live'],
        ['tags', 'monolith', 'live'],
        ['engagement', 'monolith', 'live'],
      ]);
      expect(shipped.defaultTarget).toMatchObject({ name: 'monolith', url: 'http://127.0.0.1:3001' });
    });

    it("declares the registry's microservices as rpc targets", () => {
      const rpc = [...shipped.targets.values()].filter((t) => t.type === 'rpc').map((t) => t.name);
      expect(rpc).toEqual(MICROSERVICE_NAMES);
    });

    it.each([
      ['GET', '/search', 'search'],
      ['GET', '/users/bob/recommendations', 'recommendations'],
      ['PUT', '/posts/abc/tags', 'tags'],
      ['GET', '/tags/python/posts', 'tags'],
      ['POST', '/posts/abc/likes', 'engagement'],
      ['GET', '/posts/abc/stats', 'engagement'],
      ['GET', '/posts/abc', 'default'],
      ['POST', '/search', 'default'],
    ])('routes %s %s to %s', (method, path, route) => {
      expect(shipped.match(method, path).name).toBe(route);
    });
  });

  describe('matching', () => {
    const routes = parseRouteTable(
      table(`
  - { name: one, match: { path: /posts/:id, methods: [GET] }, target: search, mode: live }
  - { name: two, match: [{ path: /posts/:id }, { path: /other }], target: legacy }`),
      variables,
    );

    it('tries routes in order and the first match wins', () => {
      expect(routes.match('GET', '/posts/a').name).toBe('one');
      expect(routes.match('DELETE', '/posts/a').name).toBe('two');
    });

    it('lets GET cover HEAD and an absent method list cover every method', () => {
      expect(routes.match('HEAD', '/posts/a').name).toBe('one');
      expect(routes.match('PATCH', '/other').name).toBe('two');
    });

    it('matches like Express: case-insensitive, optional trailing slash, one segment per param', () => {
      expect(routes.match('GET', '/POSTS/a/').name).toBe('one');
      expect(routes.match('GET', '/posts/a/b').name).toBe('default');
    });

    it('sends what no route matches to the default target', () => {
      const route = routes.match('GET', '/nowhere');
      expect(route.name).toBe('default');
      expect(route.target.name).toBe('monolith');
    });

    it('keeps a target url path as the upstream prefix', () => {
      expect(routes.targets.get('legacy')).toMatchObject({
        type: 'http',
        proxy: { host: '127.0.0.1:4000', path: '/api' },
      });
    });
  });

  describe('validation', () => {
    it('rejects an unknown target, naming the declared ones', () => {
      expect(problemsOf(table('  - { name: a, match: { path: /a }, target: serch }'))).toEqual([
        'routes[0] (a).target: "serch" is not a declared target (declared: monolith, search, legacy)',
      ]);
    });

    it('rejects an rpc target the registry does not know, naming the services it does', () => {
      expect(problemsOf(table('  []', '  serch: { type: rpc }'))).toEqual([
        `targets.serch: "serch" is not a service of the registry (or a version of one, "<service>@<version>"), so nothing answers its messages (rpc targets: ${MICROSERVICE_NAMES.join(', ')})`,
      ]);
    });

    it('accepts an rpc target for a service added to the registry', () => {
      const added = parseRouteTable(table('  []', '  audit: { type: rpc }'), variables, [
        ...MICROSERVICE_NAMES,
        'audit',
      ]);
      expect(added.targets.get('audit')).toEqual({ name: 'audit', type: 'rpc' });
    });

    it('rejects a duplicate route name', () => {
      const text = table(
        '  - { name: a, match: { path: /a }, target: search }\n  - { name: a, match: { path: /b }, target: search }',
      );
      expect(problemsOf(text)).toEqual(['routes[1] (a).name: duplicate route name "a"']);
    });

    it('rejects a bad path pattern with the parser reason', () => {
      const [problem] = problemsOf(table('  - { name: a, match: { path: "/posts/:" }, target: search }'));
      expect(problem).toMatch(/^routes\[0\] \(a\)\.match\.path: bad pattern "\/posts\/:" \(Missing parameter name/);
    });

    it('rejects an unknown mode, naming the modes', () => {
      expect(problemsOf(table(`  - { name: a, match: { path: /a }, target: search, mode: dark }`))).toEqual([
        'routes[0] (a).mode: "dark" is not a mode (modes: live, shadow, canary)',
      ]);
    });

    it.each([
      ['  - { name: a, match: { path: /_gateway/routes }, target: search }', /\/_gateway belongs to the gateway/],
      ['  - { name: a, match: { path: /a, methods: [FETCH] }, target: search }', /unknown method FETCH/],
      ['  - { name: a, match: [], target: search }', /needs at least one/],
      ['  - { name: default, match: { path: /a }, target: search }', /reserved/],
      ['  - { name: Bad_Name, match: { path: /a }, target: search }', /routes\[0\]\.name: a route name must match/],
      [
        '  - { name: a, match: { path: /a }, target: search, weight: 10 }',
        /\(a\)\.weight: only a route in mode canary/,
      ],
      ['  - { name: a, match: { path: /a }, target: search, color: red }', /routes\[0\] \(a\)\.color: unknown key/],
    ])('rejects %s', (routes, problem) => {
      expect(problemsOf(table(routes)).join('\n')).toMatch(problem);
    });

    it('rejects a default target that is not http', () => {
      const text = table('  []').replace('default: monolith', 'default: search');
      expect(problemsOf(text)).toEqual([expect.stringMatching(/^default: must be an http target/)]);
    });

    it('rejects an unknown ${VARIABLE} in a url and a url that is not http', () => {
      const text = table('  []', '  a: { type: http, url: "${NOPE}" }\n  b: { type: http, url: "ftp://x" }');
      expect(problemsOf(text)).toEqual([
        'targets.a.url: unknown variable ${NOPE} (known: MONOLITH_URL)',
        'targets.b.url: "ftp://x" must be an http:// URL without query or fragment',
      ]);
    });

    it('rejects text that is not YAML', () => {
      expect(problemsOf('routes: [\n')[0]).toMatch(/^not valid YAML/);
    });

    it('reports every problem at once', () => {
      const text = table('  - { name: a, match: { path: x }, target: nope, mode: shadow }');
      expect(problemsOf(text)).toHaveLength(3);
    });
  });

  describe('progressive delivery', () => {
    const canary = `
  - name: recs
    match: [{ path: /users/:user/recommendations, methods: [GET] }]
    target: monolith
    mode: canary
    candidate: search
    weight: 30
    sticky: { param: user }
    shadow: { sampleRate: 0.5 }
    verdict: { minRequests: 20, windowRequests: 100 }
    promotion: { steps: [10, 50, 100], dwellMs: 1000 }`;

    it('reads a canary with its candidate, weight, sticky key, thresholds and steps, defaults for the rest', () => {
      const route = parseRouteTable(table(canary), variables).route('recs');
      expect(route).toMatchObject({ state: 'canary', mode: 'canary', target: { name: 'monolith' } });
      expect(route?.delivery).toEqual({
        candidate: { name: 'search', type: 'rpc' },
        weight: 30,
        sticky: { param: 'user' },
        shadow: { sampleRate: 0.5, maxInFlight: 16, timeoutMs: 2000, noiseSampleRate: 0.1 },
        verdict: { windowRequests: 100, minRequests: 20, maxErrorRateIncrease: 0.05, maxP99Ratio: 2, p99SlackMs: 50 },
        promotion: { steps: [10, 50, 100], dwellMs: 1000 },
      });
      expect(route?.stickyKey('/users/ann/recommendations', {})).toBe('ann');
    });

    it('takes a sticky header as the client key', () => {
      const text = table(canary.replace('sticky: { param: user }', 'sticky: { header: X-User }'));
      const route = parseRouteTable(text, variables).route('recs');
      expect(route?.stickyKey('/users/ann/recommendations', { 'x-user': 'bob' })).toBe('bob');
    });

    it('names the state of a live route by its target', () => {
      const routes = parseRouteTable(
        table(
          '  - { name: a, match: { path: /a }, target: search }\n  - { name: b, match: { path: /b }, target: monolith }',
        ),
        variables,
      );
      expect(routes.routes.map((route) => route.state)).toEqual(['live', 'monolith']);
    });

    it('accepts a version of a registry service as an rpc target', () => {
      const routes = parseRouteTable(table('  []', '  search@v2: { type: rpc }'), variables);
      expect(routes.targets.get('search@v2')).toEqual({ name: 'search@v2', type: 'rpc' });
      expect(problemsOf(table('  []', '  serch@v2: { type: rpc }'))[0]).toMatch(/"serch@v2" is not a service/);
      expect(problemsOf(table('  []', '  legacy@v2: { type: http, url: "http://x" }'))).toEqual([
        'targets.legacy@v2: only rpc targets (service instances) may carry an @version',
      ]);
    });

    it.each([
      [
        'mode: canary',
        'candidate: search',
        /\.weight: a canary's weight \(percent to the candidate\) must be an integer from 0 to 100/,
      ],
      ['weight: 30', 'weight: 130', /\.weight: a canary's weight/],
      [
        'candidate: search',
        'candidate: nope',
        /\.candidate: mode canary needs a candidate, a declared target \("nope" is not/,
      ],
      ['candidate: search', 'candidate: monolith', /\.candidate: "monolith" is already the route's target/],
      ['mode: canary', 'mode: live', /\.candidate: only a route in mode shadow or canary has a candidate/],
      [
        'sticky: { param: user }',
        'sticky: { param: id }',
        /\.sticky\.param: "id" is not a parameter of the route's paths \(parameters: user\)/,
      ],
      [
        'sticky: { param: user }',
        'sticky: { cookie: x }',
        /\.sticky: must be \{header: <name>\} or \{param: <path parameter>\}/,
      ],
      ['sampleRate: 0.5', 'sampleRate: 2', /\.shadow\.sampleRate: must be a number from 0 to 1/],
      ['minRequests: 20', 'minRequests: 500', /\.verdict\.minRequests: cannot exceed windowRequests \(100\)/],
      [
        'steps: [10, 50, 100]',
        'steps: [50, 10]',
        /\.promotion\.steps: must be increasing whole percents from 1 to 100/,
      ],
      ['dwellMs: 1000', 'dwell: 1000', /\.promotion\.dwell: unknown key/],
    ])('rejects a canary with %s replaced by %s', (from, to, problem) => {
      const text = table(
        from === 'mode: canary' && to === 'candidate: search'
          ? canary.replace('weight: 30', '')
          : canary.replace(from, to),
      );
      expect(problemsOf(text).join('\n')).toMatch(problem);
    });
  });
});
