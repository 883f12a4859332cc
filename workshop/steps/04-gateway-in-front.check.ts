import { CheckContext, Expectation, expectation } from '../src/check-kit';

export async function check(context: CheckContext): Promise<Expectation[]> {
  const routes = await context.routes();
  if (!routes) {
    return [
      expectation('the gateway answers its admin API', false, 'is npm start running? (npm run workshop -- check 01)'),
    ];
  }
  const results = [
    expectation(
      'every route still goes to the monolith',
      routes.every((route) => route.target === 'monolith'),
      'npm run route -- reset sends every route back (a migration starts with nothing moved)',
      routes
        .filter((route) => route.target !== 'monolith')
        .map((route) => `${route.name} -> ${route.target}`)
        .join(', ') || undefined,
    ),
  ];
  for (const route of routes) {
    const served = await context.gatewayMetric('gateway_requests_total', { route: route.name, target: 'monolith' });
    results.push(
      expectation(
        `route ${route.name} has answered through the gateway, from the monolith`,
        served > 0,
        `send it a request through the gateway (the curl lines of this step); npm run route -- list shows what ${route.name} matches`,
      ),
    );
  }
  return results;
}
