import { USER_NAME_PATTERN } from '@app/contracts';
import { Random } from '../../datasets/src/generator/random';
import { allocateConnections, READS, ROUTE_SERVICES, SCENARIOS, WRITES, Workload } from './scenarios';

const workload: Workload = {
  postIds: ['abc', 'def'],
  terms: ['dja res', 'pand'],
  tags: ['django', 'web'],
  words: ['django', 'pandas', 'flask'],
};

describe('allocateConnections', () => {
  it('splits the connections in proportion to the weights and adds up to the total', () => {
    expect(allocateConnections(12, [2, 3, 1])).toEqual([4, 6, 2]);
    expect(allocateConnections(50, [2, 3, 3, 2, 1, 1, 1]).reduce((a, b) => a + b, 0)).toBe(50);
  });

  it('hands the remainder to the largest fractions first', () => {
    expect(allocateConnections(10, [1, 1, 1])).toEqual([4, 3, 3]);
  });

  it('gives every endpoint one connection even when there are more endpoints than connections', () => {
    expect(allocateConnections(2, [3, 1, 1, 1])).toEqual([1, 1, 1, 1]);
  });
});

describe('scenarios', () => {
  it('reads only with GET, writes only with POST, and mixes both in mixed and flip', () => {
    expect(SCENARIOS.reads.every((e) => e.method === 'GET')).toBe(true);
    expect(SCENARIOS.writes.every((e) => e.method === 'POST')).toBe(true);
    expect(SCENARIOS.mixed).toEqual([...READS, ...WRITES]);
    expect(SCENARIOS.flip).toEqual(SCENARIOS.mixed);
  });

  it('builds requests from the workload: real post ids, search terms and tags', () => {
    const random = new Random(7);
    const paths = READS.map((endpoint) => endpoint.build(random, workload).path);
    expect(paths).toContainEqual(expect.stringMatching(/^\/posts\/(abc|def)$/));
    expect(paths).toContainEqual(expect.stringMatching(/^\/search\?q=(dja%20res|pand)&limit=10$/));
    expect(paths).toContainEqual(expect.stringMatching(/^\/tags\/(django|web)\/posts\?limit=25$/));
  });

  it('sends valid JSON bodies whose user and author names the API accepts', () => {
    const random = new Random(7);
    for (const endpoint of WRITES) {
      const { path, body } = endpoint.build(random, workload);
      const parsed = JSON.parse(body as string) as { user?: string; author?: string; title?: string };
      expect(path).toMatch(/^\/posts(\/(abc|def)\/(likes|shares|hide))?$/);
      expect(parsed.user ?? parsed.author).toMatch(USER_NAME_PATTERN);
    }
  });

  it('only names routes that move to a service in the after stage', () => {
    const routes = new Set(SCENARIOS.mixed.flatMap((e) => (e.route ? [e.route] : [])));
    expect([...routes].every((route) => route in ROUTE_SERVICES)).toBe(true);
  });

  it('sends the same requests again for the same seed', () => {
    const build = () => READS.map((endpoint) => endpoint.build(new Random(3), workload).path);
    expect(build()).toEqual(build());
  });
});
