import { CheckContext, Expectation, expectation } from '../src/check-kit';

export async function check(context: CheckContext): Promise<Expectation[]> {
  const health = await context.gateway('/_gateway/health');
  const posts = await context.gateway('/posts?limit=2');
  const eve = await context.monolith('/data?max_results=2');
  const page = eve.body as { _items?: unknown[]; _links?: unknown; _meta?: unknown } | undefined;
  return [
    expectation(
      `the gateway answers at ${context.stack.gatewayUrl}`,
      health.status === 200,
      'run npm start in a terminal of its own and wait for "Strangler is running at ..."',
      health.error ?? `status ${health.status}`,
    ),
    expectation(
      'GET /posts through the gateway is served by the monolith (x-served-by: monolith)',
      posts.status === 200 && posts.headers.get('x-served-by') === 'monolith',
      `curl -si "$GATEWAY_URL/posts?limit=2" and look at the x-served-by header`,
      posts.error ?? `status ${posts.status}, x-served-by ${posts.headers.get('x-served-by')}`,
    ),
    expectation(
      `the monolith's Eve-style /data answers _items, _links and _meta on its own port (${context.stack.monolithUrl})`,
      eve.status === 200 && Array.isArray(page?._items) && page?._links !== undefined && page?._meta !== undefined,
      'curl -s "$MONOLITH_URL/data?max_results=2": the monolith answers directly, without the gateway',
      eve.error ?? `status ${eve.status}`,
    ),
  ];
}
