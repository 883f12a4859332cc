import { CheckContext, Expectation, expectation } from '../src/check-kit';

interface Stats {
  likes: number;
  shares: number;
  hides: number;
}

export async function check(context: CheckContext): Promise<Expectation[]> {
  const newest = await context.monolith('/posts?limit=1');
  const id = (newest.body as { items?: { id: string }[] } | undefined)?.items?.[0]?.id ?? '';
  const viaGateway = await context.gateway(`/posts/${id}/stats`);
  const inMonolith = await context.monolith(`/posts/${id}/stats`);
  const stats = viaGateway.body as Stats | undefined;
  const monolithStats = inMonolith.body as Stats | undefined;
  return [
    await context.routeGoesTo('engagement', 'engagement'),
    expectation(
      `the newest post (${id || 'none'}) was liked and shared through the gateway, and its stats come from engagement`,
      viaGateway.headers.get('x-served-by') === 'engagement' && (stats?.likes ?? 0) > 0 && (stats?.shares ?? 0) > 0,
      'POST a like and a share (the curl lines of this step), then poll the stats until they show',
      `x-served-by ${viaGateway.headers.get('x-served-by')}, ${JSON.stringify(stats)}`,
    ),
    expectation(
      "the monolith's own stats caught up (the writes flowed back)",
      (monolithStats?.likes ?? 0) > 0 && (monolithStats?.shares ?? 0) > 0,
      "the relay brings engagement's events back within seconds: check again",
      JSON.stringify(monolithStats),
    ),
  ];
}
