'use strict';
// The brokers of the transports (probed by the contract suite and by the
// workshop's doctor), found where the processes find them: host and port from
// REDIS_URL, NATS_URL, RABBITMQ_URL and MQTT_URL, else the default port on 127.0.0.1.
const net = require('node:net');

const BROKERS = {
  redis: { variable: 'REDIS_URL', port: 6379 },
  nats: { variable: 'NATS_URL', port: 4222 },
  rmq: { variable: 'RABBITMQ_URL', port: 5672 },
  mqtt: { variable: 'MQTT_URL', port: 1883 },
};
const PROBE_TIMEOUT_MS = 3000;

/** `host:port` of a transport's broker, from its *_URL variable in `env`. */
function brokerAddress(transport, env = process.env) {
  const { variable, port } = BROKERS[transport];
  const url = env[variable] ? new URL(env[variable]) : undefined;
  return { host: url?.hostname || '127.0.0.1', port: Number(url?.port) || port };
}

/** Whether something accepts TCP connections at host:port. */
function reachable({ host, port }) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The transports whose broker does not accept connections. */
async function downBrokers(env = process.env) {
  const probed = await Promise.all(
    Object.keys(BROKERS).map(async (transport) => [transport, await reachable(brokerAddress(transport, env))]),
  );
  return probed.filter(([, up]) => !up).map(([transport]) => transport);
}

/**
 * What a suite does about a transport, given the probe's result in
 * TEST_BROKERS_DOWN: run it; skip it (no broker, outside CI); or, under
 * CI=true, fail with a test naming the missing broker.
 */
function brokerVerdict(transport, env = process.env) {
  if (!BROKERS[transport]) return { run: true };
  const down = (env.TEST_BROKERS_DOWN ?? '').split(',').includes(transport);
  if (!down) return { run: true };
  const { host, port } = brokerAddress(transport, env);
  const where = `no ${transport} broker at ${host}:${port} (${BROKERS[transport].variable})`;
  return env.CI === 'true' ? { run: false, fail: `${where}; CI=true needs every broker` } : { run: false, skip: where };
}

module.exports = { BROKERS, brokerAddress, reachable, downBrokers, brokerVerdict };
