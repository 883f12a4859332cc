import { createServer } from 'node:net';
import { join } from 'node:path';
import type { BrokerTransport } from '../../scripts/lib/brokers';
import { REGISTRY } from '@app/registry';
import { Expectation, expectation } from './check-kit';
import { ROOT, RunningStack } from './running-stack';

// The dev scripts are plain JavaScript beside the sources, not compiled into dist/.
const scripts = (name: string) => join(ROOT, 'scripts', 'lib', `${name}.js`);
const { BROKERS, brokerAddress, reachable } = require(scripts('brokers')) as typeof import('../../scripts/lib/brokers');
const { resolveNats } = require(scripts('nats')) as typeof import('../../scripts/lib/nats');
const { resolveStore } = require(scripts('store')) as typeof import('../../scripts/lib/store');

/** The Node version the project needs (package.json engines). */
export const MIN_NODE = [20, 19] as const;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * What the machine needs for the workshop: Node, a document store, the event
 * log, the brokers of step 12, and the default ports free (or already held by
 * a running `npm start`).
 */
export async function doctor(stack = new RunningStack()): Promise<Expectation[]> {
  const [major, minor] = process.versions.node.split('.').map(Number);
  const results: Expectation[] = [
    expectation(
      `Node ${MIN_NODE.join('.')} or later (found ${process.versions.node})`,
      major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]),
      'install Node 20 LTS (20.19 or later) or 22, then npm ci',
    ),
  ];
  const store = resolveStore(stack.env);
  results.push(
    expectation(
      `a document store${store.kind ? `: ${store.kind}` : ''}`,
      store.kind !== undefined,
      'set MONGO_URL to a MongoDB, put mongod on PATH, start Docker, or install Go 1.24+ for the embedded store (npm run store -- info explains)',
      store.steps.map((step) => `${step.step}: ${step.outcome}`).join('; '),
    ),
  );
  const nats = await resolveNats(stack.env);
  results.push(
    expectation(
      `the event log (NATS JetStream)${nats.kind ? `: ${nats.kind}` : ''}`,
      nats.kind !== undefined,
      'set NATS_URL, run nats-server -js on 127.0.0.1:4222, or install Go so npm start can build it',
      nats.steps.map((step) => `${step.step}: ${step.outcome}`).join('; '),
    ),
  );
  for (const transport of Object.keys(BROKERS) as BrokerTransport[]) {
    const address = brokerAddress(transport, stack.env);
    results.push(
      expectation(
        `the ${transport} broker at ${address.host}:${address.port} (step 12 only; tcp needs none)`,
        await reachable(address),
        `start it, or set ${BROKERS[transport].variable}; without it, step 12 can use the other transports`,
      ),
    );
  }
  const running = (await fetch(`${stack.gatewayUrl}/_gateway/health`).catch(() => undefined))?.ok === true;
  // A running stack holds its own ports, the default ones or those it took: nothing to check.
  if (running) {
    results.push(expectation(`npm start is running, its gateway at ${stack.gatewayUrl}`, true, ''));
    return results;
  }
  for (const [name, spec] of Object.entries(REGISTRY)) {
    const ports = [spec.httpPort, ...('rpcPort' in spec ? [spec.rpcPort] : [])];
    for (const port of ports) {
      results.push(
        expectation(
          `port ${port} (${name}) is free`,
          await canListen(port),
          `stop what listens on ${port} (ss -ltnp 'sport = :${port}' shows it), or run npm start with START_RANDOM_PORTS=1`,
        ),
      );
    }
  }
  return results;
}
