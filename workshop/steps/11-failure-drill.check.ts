import { CheckContext, Expectation, expectation } from '../src/check-kit';

export async function check(context: CheckContext): Promise<Expectation[]> {
  const fallbacks = await context.gatewayMetric('gateway_fallbacks_total', { route: 'search' });
  const health = await context.serviceHealth('search');
  const answer = await context.gateway('/search?q=python');
  const breaker = await context.gatewayMetric('gateway_breaker_state', { target: 'search' });
  return [
    expectation(
      'the gateway fell back to the monolith for /search while search was down',
      fallbacks > 0,
      'npm run workshop -- kill search, then at once send /search requests and look for x-fallback: search',
      `${fallbacks} fallback(s) counted`,
    ),
    expectation(
      'search is back: npm start restarted it and it is healthy',
      health.status === 200,
      'npm start restarts a process that dies within seconds; look at .data/logs/search.log if it does not come back',
      health.error ?? `status ${health.status}`,
    ),
    expectation(
      'its breaker closed again and /search is served by search',
      breaker === 0 && answer.headers.get('x-served-by') === 'search',
      'send a few more /search requests: the breaker tries search again after its reset time',
      `breaker ${breaker} (0 closed, 1 half-open, 2 open), x-served-by ${answer.headers.get('x-served-by')}`,
    ),
  ];
}
