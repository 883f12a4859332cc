import { CheckContext, Expectation, expectation } from '../src/check-kit';
import { loadtestResult } from '../src/loadtest-results';

export const BASELINE = 'workshop-baseline';

export async function check(context: CheckContext): Promise<Expectation[]> {
  const result = loadtestResult(context, BASELINE);
  const before = result?.stages.find((stage) => stage.stage === 'before');
  return [
    expectation(
      `a load-test result named ${BASELINE} (loadtest/results/${BASELINE}.json)`,
      result !== undefined,
      'run the npm run loadtest line of this step; it takes about a minute',
    ),
    expectation(
      'it measured the "before" stage: everything through the gateway, on the monolith',
      before !== undefined && before.totals.requests > 0,
      'keep --stage before in the command',
      before ? `${before.totals.requests} requests` : undefined,
    ),
    expectation(
      'no request failed',
      before !== undefined && before.totals.errors === 0 && before.totals.timeouts === 0,
      'look at the stack logs the load test names; run it again on a quieter machine',
      before ? `${before.totals.errors} errors, ${before.totals.timeouts} timeouts` : undefined,
    ),
  ];
}
