import { isDeepStrictEqual } from 'node:util';
import { CheckContext, Expectation, expectation } from '../src/check-kit';

const QUERIES = ['python', 'django web', 'py'];

export async function check(context: CheckContext): Promise<Expectation[]> {
  const answers = await Promise.all(QUERIES.map((q) => context.gateway(`/search?q=${encodeURIComponent(q)}`)));
  const direct = await Promise.all(QUERIES.map((q) => context.monolith(`/search?q=${encodeURIComponent(q)}`)));
  const servedBy = answers.map((answer) => answer.headers.get('x-served-by'));
  const same = answers.every((answer, n) => answer.status === 200 && isDeepStrictEqual(answer.body, direct[n].body));
  // Newest first: the flip back to search, and before it a rollback from search to the monolith.
  const changes = (await context.audit()).filter((entry) => entry.route === 'search');
  const flippedAgain = changes[0]?.to === 'search';
  const rolledBack = changes.slice(1).some((entry) => entry.from === 'search' && entry.to === 'monolith');
  return [
    await context.routeGoesTo('search', 'search'),
    expectation(
      'GET /search through the gateway is served by search (x-served-by: search)',
      servedBy.every((value) => value === 'search'),
      `curl -si "$GATEWAY_URL/search?q=python" | grep -i x-served-by`,
      servedBy.join(', '),
    ),
    expectation(
      "its answers equal the monolith's for the same queries",
      same,
      'the service may still be catching up with the event log: wait a few seconds and check again',
    ),
    expectation(
      'you rolled the route back to the monolith and then flipped it again',
      flippedAgain && rolledBack,
      'npm run route -- rollback search, look at x-served-by, then npm run route -- set search search',
    ),
  ];
}
