import { DEFAULT_VERDICT } from '../routes/delivery-settings';
import { BODY_PATH, STATUS_PATH, differingPaths } from './json-diff';
import { ShadowStats } from './shadow-stats';
import { assignsCandidate } from './sticky';
import { SideWindow, judge } from './verdict-window';

const answer = (value: unknown, status = 200) => ({ status, body: JSON.stringify(value) });

describe('differingPaths', () => {
  it('names differing leaves with array positions folded', () => {
    const a = answer({
      items: [
        { id: 1, score: 2 },
        { id: 2, score: 3 },
      ],
      at: 1,
    });
    const b = answer({
      items: [
        { id: 1, score: 2 },
        { id: 2, score: 4 },
      ],
      at: 1,
    });
    expect(differingPaths(a, b)).toEqual(['items[].score']);
  });

  it('reports missing and extra fields, the status, and bodies that are not JSON', () => {
    expect(differingPaths(answer({ a: 1 }), answer({ b: 1 }, 404)).sort()).toEqual([STATUS_PATH, 'a', 'b']);
    expect(differingPaths({ status: 200, body: 'x' }, { status: 200, body: 'y' })).toEqual([BODY_PATH]);
    expect(differingPaths(answer({ a: [1] }), answer({ a: [1] }))).toEqual([]);
  });
});

describe('ShadowStats', () => {
  it('takes fields learned as noise out of earlier comparisons too', () => {
    const stats = new ShadowStats();
    stats.compare('/a', answer({}), answer({}), ['at']);
    stats.compare('/b', answer({}), answer({}), ['at', 'score']);
    stats.learnNoise(['at']);
    const report = stats.report();
    expect(report).toMatchObject({ compared: 2, matched: 1, matchRate: 0.5, noiseFields: ['at'] });
    expect(report.fields).toEqual([{ path: 'score', count: 1, rate: 0.5 }]);
    expect(report.examples.map((e) => e.paths)).toEqual([['score']]);
  });

  it('keeps at most five examples', () => {
    const stats = new ShadowStats();
    for (let i = 0; i < 20; i++) stats.compare(`/${i}`, answer({}), answer({}), ['x']);
    expect(stats.report().examples.map((e) => e.url)).toEqual(['/15', '/16', '/17', '/18', '/19']);
  });
});

describe('assignsCandidate', () => {
  it('gives the same key the same side, and raising the weight never moves a key back', () => {
    for (let i = 0; i < 500; i++) {
      const key = `user-${i}`;
      expect(assignsCandidate('r', key, 30)).toBe(assignsCandidate('r', key, 30));
      if (assignsCandidate('r', key, 30)) expect(assignsCandidate('r', key, 60)).toBe(true);
    }
    expect(assignsCandidate('r', 'k', 0)).toBe(false);
    expect(assignsCandidate('r', 'k', 100)).toBe(true);
  });
});

describe('judge', () => {
  const window = (requests: number, failures: number, ms: number) => {
    const side = new SideWindow(200);
    for (let i = 0; i < requests; i++) side.record(i < failures, ms);
    return side.figures();
  };

  it('waits for the minimum number of candidate requests', () => {
    expect(judge(window(100, 0, 1), window(49, 49, 1), DEFAULT_VERDICT).verdict).toBe('waiting');
  });

  it('rolls back on an error rate above the baseline plus the allowance, or a p99 above the bound', () => {
    expect(judge(window(100, 1, 1), window(50, 4, 1), DEFAULT_VERDICT)).toMatchObject({
      verdict: 'rollback',
      cause: 'error_rate',
    });
    expect(judge(window(100, 1, 1), window(50, 2, 1), DEFAULT_VERDICT).verdict).toBe('healthy');
    expect(judge(window(100, 0, 10), window(50, 0, 71), DEFAULT_VERDICT)).toMatchObject({
      verdict: 'rollback',
      cause: 'p99',
    });
    expect(judge(window(100, 0, 10), window(50, 0, 69), DEFAULT_VERDICT).verdict).toBe('healthy');
  });

  it('keeps only the last requests of the window', () => {
    const side = new SideWindow(10);
    for (let i = 0; i < 10; i++) side.record(true, 1);
    for (let i = 0; i < 10; i++) side.record(false, 1);
    expect(side.figures()).toMatchObject({ requests: 10, errors: 0 });
    expect(side.total).toBe(20);
  });
});
