import { CheckContext, Expectation, expectation } from '../src/check-kit';
import { loadtestResult } from '../src/loadtest-results';

export const COMPARISON = 'workshop-compare';
export const REPORTS_DIR = '.data/workshop/reports';

export async function check(context: CheckContext): Promise<Expectation[]> {
  const result = loadtestResult(context, COMPARISON);
  const stage = (name: string) => result?.stages.find((s) => s.stage === name);
  const before = stage('before');
  const after = stage('after');
  const servedAfter = new Set(after?.endpoints.flatMap((endpoint) => Object.keys(endpoint.servedBy)) ?? []);
  return [
    expectation(
      `a load-test result named ${COMPARISON}`,
      result !== undefined,
      'run the npm run loadtest line of this step',
    ),
    expectation(
      'it measured before (all on the monolith) and after (routes on the services), with no failed request',
      before !== undefined && after !== undefined && before.totals.errors + after.totals.errors === 0,
      'keep --stage before,after in the command',
      result
        ? result.stages.map((s) => `${s.stage}: ${s.totals.requests} requests, ${s.totals.errors} errors`).join('; ')
        : undefined,
    ),
    expectation(
      'after the flips, services answered',
      [...servedAfter].some((name) => name !== 'monolith'),
      'the after stage flips every route to its service; look at the report for fallbacks',
      [...servedAfter].join(', ') || undefined,
    ),
    expectation(
      `the report ${REPORTS_DIR}/${COMPARISON}.md`,
      context.exists(`${REPORTS_DIR}/${COMPARISON}.md`),
      `keep --reports-dir ${REPORTS_DIR} in the command`,
    ),
  ];
}
