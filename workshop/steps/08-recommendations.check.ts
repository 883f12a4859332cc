import { CheckContext, Expectation, expectation } from '../src/check-kit';

export async function check(context: CheckContext): Promise<Expectation[]> {
  const flipped = await context.routeGoesTo('recommendations', 'recommendations');
  const answer = await context.gateway('/recommendations?limit=5');
  const drift = flipped.pass
    ? context.runTool('dist/extracted/sync/src/cli/reconcile.cli.js', ['recommendations'])
    : undefined;
  return [
    flipped,
    expectation(
      'GET /recommendations is served by recommendations',
      answer.status === 200 && answer.headers.get('x-served-by') === 'recommendations',
      `curl -si "$GATEWAY_URL/recommendations?limit=5" | grep -i x-served-by`,
      `status ${answer.status}, x-served-by ${answer.headers.get('x-served-by')}`,
    ),
    expectation(
      "its own database holds what the monolith's does (npm run reconcile -- recommendations finds no drift)",
      drift?.status === 0,
      'npm run sync -- replay --service recommendations rebuilds it from the event log; wait a few seconds, then reconcile',
      drift ? drift.output.trim().split('\n').slice(-3).join(' / ') : undefined,
    ),
  ];
}
