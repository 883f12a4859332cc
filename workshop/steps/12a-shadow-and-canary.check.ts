import { CheckContext, Expectation, expectation } from '../src/check-kit';

/** What the audit log says of a change besides where the route went. */
interface DeliveryChange {
  to: string | null;
  state?: string | null;
}

export async function check(context: CheckContext): Promise<Expectation[]> {
  // Newest first: the changes since the route last went back to the monolith.
  const changes = (await context.audit()).filter((entry) => entry.route === 'recommendations') as DeliveryChange[];
  const back = changes.findIndex((entry) => entry.state === 'monolith');
  const sinceMonolith = back === -1 ? [] : changes.slice(0, back);
  const states = sinceMonolith.map((entry) => entry.state);
  const answer = await context.gateway('/recommendations?limit=5');
  return [
    expectation(
      'recommendations went back to the monolith, then to the service as a shadow',
      states.includes('shadow'),
      'npm run route -- rollback recommendations, then npm run route -- shadow recommendations recommendations',
      `changes since the monolith, newest first: ${states.join(', ') || 'none'}`,
    ),
    expectation(
      'then as a canary',
      states.includes('canary'),
      'npm run route -- canary recommendations recommendations 25',
    ),
    expectation(
      'and it was promoted: the route is live on the service',
      sinceMonolith[0]?.state === 'live' && sinceMonolith[0]?.to === 'recommendations',
      'npm run route -- canary recommendations recommendations 100, then npm run route -- promote recommendations',
    ),
    expectation(
      'GET /recommendations is served by recommendations',
      answer.status === 200 && answer.headers.get('x-served-by') === 'recommendations',
      `curl -si "$GATEWAY_URL/recommendations?limit=5" | grep -i x-served-by`,
      `status ${answer.status}, x-served-by ${answer.headers.get('x-served-by')}`,
    ),
  ];
}
