import { REGISTRY, microserviceNames } from '@app/registry';
import { CheckContext, Expectation, expectation } from '../src/check-kit';

export async function check(context: CheckContext): Promise<Expectation[]> {
  const transports = await Promise.all(
    microserviceNames(REGISTRY).map(async (name) => {
      const health = await context.serviceHealth(name);
      return [name, (health.body as { transport?: string } | undefined)?.transport ?? 'down'] as const;
    }),
  );
  const used = new Set(transports.map(([, transport]) => transport));
  const answer = await context.gateway('/search?q=python');
  return [
    expectation(
      'every service runs on one transport other than tcp',
      used.size === 1 && !used.has('tcp') && !used.has('down'),
      'stop npm start (Ctrl+C) and start it again with TRANSPORT=nats (or redis, rmq, mqtt)',
      transports.map(([name, transport]) => `${name}: ${transport}`).join(', '),
    ),
    expectation(
      'the flipped routes still answer from the services, with no code changed',
      answer.status === 200 && answer.headers.get('x-served-by') === 'search',
      'routes.yaml kept your flips; if /search falls back, look at the broker and the service logs',
      `status ${answer.status}, x-served-by ${answer.headers.get('x-served-by')}`,
    ),
  ];
}
