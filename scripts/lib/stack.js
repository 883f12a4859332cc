'use strict';
// Starts the whole product as separate processes from the compiled dist/:
// store, event log (NATS JetStream), monolith, extracted services, relay and gateway. Used by `npm start`,
// the load tests and the cross-process tests, so they all run the same stack.
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { startStore, freePort, stopChild, ROOT } = require('./store');
const { startNats, startOwnNats } = require('./nats');
const { eventually } = require('./wait');

/**
 * The processes, from the service registry (libs/registry/src/registry.ts).
 * This file runs before the build, so it reads the registry's JSON copy,
 * which the registry spec keeps equal to the typed list.
 */
const REGISTRY_FILE = path.join(ROOT, 'libs', 'registry', 'registry.json');
const PROCESSES = JSON.parse(fs.readFileSync(REGISTRY_FILE, 'utf8')).processes;

const namesOfKind = (processes, kind) => processes.filter((p) => p.kind === kind).map((p) => p.name);
const SERVICES = namesOfKind(PROCESSES, 'microservice');
const DEFAULT_PORTS = Object.fromEntries(PROCESSES.map((p) => [p.name, p.httpPort]));

/** The variable holding a microservice's tcp port (as in libs/registry). */
const rpcPortKeyOf = (name) => `${name.toUpperCase().replace(/-/g, '_')}_RPC_PORT`;

/**
 * The groups of processes to start, in order (each group once the one before
 * is healthy): the legacy apps, the chosen microservices, the relays, the gateways.
 */
function startOrder(
  processes,
  { services = namesOfKind(processes, 'microservice'), versions = [], sync = true, gateway = true } = {},
) {
  return [
    namesOfKind(processes, 'http-app'),
    [...namesOfKind(processes, 'microservice').filter((name) => services.includes(name)), ...versions],
    sync ? namesOfKind(processes, 'relay') : [],
    gateway ? namesOfKind(processes, 'gateway') : [],
  ];
}

/** A second instance of a microservice, `search@v2`, runs as its service (as in libs/registry). */
const serviceOfInstance = (name) => name.split('@')[0];
const versionOfInstance = (name) => name.split('@')[1];

function processOf(instance) {
  const name = serviceOfInstance(instance);
  const spec = PROCESSES.find((p) => p.name === name);
  if (!spec) throw new Error(`${name} is not a process of the registry (${PROCESSES.map((p) => p.name).join(', ')})`);
  return spec;
}

/** The first port the kernel hands to outgoing connections (net.ipv4.ip_local_port_range). */
function ephemeralLow() {
  try {
    return Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

function canListen(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free port below the ephemeral range: a port the kernel picked (freePort)
 * can be taken by some client's outgoing connection in the seconds before the
 * process meant to listen on it starts, which busy load tests make likely.
 */
async function freeListenPort(taken) {
  const low = Math.min(ephemeralLow(), 32768);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 10000 + Math.floor(Math.random() * (low - 10000));
    if (!taken.has(port) && (await canListen(port))) {
      taken.add(port);
      return port;
    }
  }
  return freePort();
}

function entryOf(name) {
  return path.join(ROOT, processOf(name).entry);
}

function httpStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
  });
}

function tail(file, lines = 15) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Restart backoff: 1 s, doubling per quick death up to 30 s; a process that ran a minute starts over. */
const RESTART_FIRST_MS = 1000;
const RESTART_MAX_MS = 30_000;
const RESTART_RESET_MS = 60_000;

/** Removes a throwaway stack's event stream; a stream that is already gone is fine. */
async function deleteStream(url, stream) {
  const { connect } = require('nats');
  const connection = await connect({ servers: url }).catch(() => undefined);
  if (!connection) return;
  try {
    await (await connection.jetstreamManager()).streams.delete(stream);
  } catch {
    // Never created, or already deleted.
  } finally {
    await connection.close();
  }
}

async function waitHealthy(proc, timeoutMs) {
  const status = await eventually(
    () => {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
        throw new Error(
          `${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}) before it was healthy:\n${tail(proc.logFile)}`,
        );
      }
      return httpStatus(proc.healthUrl);
    },
    (answer) => answer === 200,
    timeoutMs,
    150,
  );
  if (status !== 200)
    throw new Error(`${proc.name} was not healthy at ${proc.healthUrl} within ${timeoutMs} ms:\n${tail(proc.logFile)}`);
}

/**
 * @param {object} options
 * @param {string} options.dataDir        folder for the store's and the event log's data, and process logs
 * @param {boolean} [options.randomPorts] pick free ports instead of the defaults (tests)
 * @param {string[]} [options.services]   extracted services to run (default: all)
 * @param {string[]} [options.versions]   second instances to run beside them (`search@v2`): each its own process,
 *                                        database (`search_v2`), queue, subjects and tcp port (VERSION_RPC_PORTS)
 * @param {boolean} [options.sync]        run the relay (default true)
 * @param {boolean} [options.gateway]     run the gateway (default true)
 * @param {boolean} [options.ownNats]     run nats-server from .tools/ even when NATS_URL or 4222 offers one,
 *                                        so that a test may kill it (stack.nats.restart('SIGKILL'))
 * @param {Record<string,string>} [options.env] extra environment for every process
 * @param {(mongoUrl: string, store: object) => Promise<void>} [options.beforeApps] runs once the store is up (seeding)
 * @param {(msg: string) => void} [options.log]
 * @param {boolean} [options.restart]     start a process that dies again, with backoff (npm start)
 * @param {number} [options.healthTimeoutMs] how long a process may take to become healthy (default 60 s); a
 *                                        service rebuilds its read model before it answers, longer on large data
 */
async function startStack(options) {
  const {
    dataDir,
    randomPorts = false,
    services = SERVICES,
    versions = [],
    healthTimeoutMs = 60_000,
    sync = true,
    gateway = true,
    log = () => {},
  } = options;
  const logDir = path.join(dataDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const [storeStarted, natsStarted] = await Promise.allSettled([
    startStore({ dataDir, log }),
    options.ownNats ? startOwnNats({ dataDir, log }) : startNats({ dataDir, log }),
  ]);
  const store = storeStarted.status === 'fulfilled' ? storeStarted.value : undefined;
  const nats = natsStarted.status === 'fulfilled' ? natsStarted.value : undefined;
  const stopServers = () => Promise.all([store?.stop(), nats?.stop()]);
  if (!store || !nats) {
    await stopServers();
    throw storeStarted.reason ?? natsStarted.reason;
  }
  try {
    await options.beforeApps?.(store.url, store);
  } catch (error) {
    await stopServers();
    throw error;
  }
  // Nothing listens on a picked port until its process starts: one stack never picks a port twice.
  const picked = new Set();
  const port = async (name) => (randomPorts ? freeListenPort(picked) : processOf(name).httpPort);
  const rpcPort = async (name) => (randomPorts ? freeListenPort(picked) : processOf(name).rpcPort);

  const order = startOrder(PROCESSES, { services, versions, sync, gateway });
  const ports = {};
  // A second instance has no default port of its own: it always takes a free one.
  for (const name of order.flat())
    ports[name] = versionOfInstance(name) ? await freeListenPort(picked) : await port(name);
  const versionRpcPorts = [];
  for (const name of versions) versionRpcPorts.push(`${name}=${await freeListenPort(picked)}`);
  const sharedEnv = {
    PATH: process.env.PATH,
    MONGO_URL: store.url,
    NATS_URL: nats.url,
    LOG_LEVEL: 'info',
    TRANSPORT: 'tcp',
    ...Object.fromEntries(
      await Promise.all(SERVICES.map(async (name) => [rpcPortKeyOf(name), String(await rpcPort(name))])),
    ),
    VERSION_RPC_PORTS: versionRpcPorts.join(','),
    MONOLITH_URL: `http://127.0.0.1:${ports.monolith}`,
    SYNC_CONSUMERS: services.join(','),
    // A stack on free ports (tests, load tests) keeps its events apart from other stacks on the same server.
    ...(randomPorts ? { EVENT_STREAM: `strangler-events-${crypto.randomUUID().slice(0, 8)}` } : {}),
    ...options.env,
  };

  // Only the gateway needs the admin token; the relay's address lets it make flips of write routes consistent.
  const { GATEWAY_ADMIN_TOKEN, ...servicesEnv } = sharedEnv;
  const gatewayEnv = {
    ...(sync ? { SYNC_URL: `http://127.0.0.1:${ports.sync}` } : {}),
    ...(GATEWAY_ADMIN_TOKEN ? { GATEWAY_ADMIN_TOKEN } : {}),
  };
  const processes = new Map();
  let stopping = false;
  /** Consecutive quick deaths per process, for the backoff. */
  const deaths = new Map();
  const superviseExit = (proc) => {
    proc.child.once('exit', (code, signal) => {
      if (stopping || !options.restart || processes.get(proc.name) !== proc) return;
      const ranMs = Date.now() - proc.startedAt;
      const count = ranMs > RESTART_RESET_MS ? 1 : (deaths.get(proc.name) ?? 0) + 1;
      deaths.set(proc.name, count);
      const delay = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** (count - 1));
      log(`${proc.name} exited (${code ?? signal}); restarting it in ${delay} ms (see ${proc.logFile})`);
      const timer = setTimeout(() => {
        if (stopping || processes.get(proc.name) !== proc) return;
        const next = launch(proc.name);
        waitHealthy(next, healthTimeoutMs).then(
          () => log(`${proc.name} restarted`),
          (error) => log(`${proc.name} did not come back: ${error.message.split('\n')[0]}`),
        );
      }, delay);
      timer.unref();
    });
  };
  const launch = (name) => {
    const logFile = path.join(logDir, `${name}.log`);
    const out = fs.openSync(logFile, 'a');
    const { database } = processOf(name);
    const version = versionOfInstance(name);
    const env = {
      ...(database ? { MONGO_DB: version ? `${database}_${version.replace(/-/g, '_')}` : database } : {}),
      ...servicesEnv,
      ...(version ? { SERVICE_VERSION: version } : {}),
      ...(name === 'gateway' ? gatewayEnv : {}),
      PORT: String(ports[name]),
    };
    const child = spawn(process.execPath, [entryOf(name)], { env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const proc = {
      name,
      child,
      port: ports[name],
      logFile,
      healthUrl: `http://127.0.0.1:${ports[name]}${processOf(name).healthPath}`,
      startedAt: Date.now(),
    };
    processes.set(name, proc);
    superviseExit(proc);
    return proc;
  };

  const stop = async () => {
    stopping = true;
    await Promise.all([...processes.values()].map((proc) => stopChild(proc.child)));
    // A stream this stack named for itself goes with it; one it was given (EVENT_STREAM) outlives it.
    if (randomPorts && !options.env?.EVENT_STREAM) await deleteStream(nats.url, sharedEnv.EVENT_STREAM);
    await stopServers();
  };

  try {
    for (const group of order) {
      const started = group.map(launch);
      await Promise.all(started.map((proc) => waitHealthy(proc, healthTimeoutMs)));
      if (group.length) log(`started ${group.join(', ')}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    store,
    nats,
    env: sharedEnv,
    ports,
    url: (name) => `http://127.0.0.1:${ports[name]}`,
    process: (name) => processes.get(name),
    /** Sends a signal to one process (e.g. SIGKILL for chaos tests). */
    kill: (name, signal = 'SIGKILL') => processes.get(name)?.child.kill(signal),
    /** Starts a stopped process again on the same port and waits until it is healthy. */
    restart: async (name) => {
      const previous = processes.get(name);
      // Taken out first, so that its exit is not seen as a death to restart from.
      processes.delete(name);
      if (previous) await stopChild(previous.child);
      await waitHealthy(launch(name), healthTimeoutMs);
    },
    stop,
  };
}

module.exports = { startStack, startOrder, SERVICES, DEFAULT_PORTS, PROCESSES, entryOf };
