'use strict';
// Resolves a MongoDB-wire document store, most real first: MONGO_URL -> mongod
// on PATH -> a running Docker engine (mongo:8) -> embedded FerretDB (built once
// with Go into .tools/) -> a clear error.
const { spawn, execFileSync, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { eventually } = require('./wait');

const ROOT = path.resolve(__dirname, '..', '..');
const TOOLS_BIN = path.join(ROOT, '.tools', 'bin');
const FERRETDB_BIN = path.join(TOOLS_BIN, 'ferretdb');
const FERRETDB_SRC = path.join(ROOT, 'scripts', 'ferretdb');

const HOW_TO_GET_A_STORE = [
  'No document store available. Any one of these works:',
  '  - set MONGO_URL to a MongoDB you run (local, Atlas, ...),',
  '  - install MongoDB so that `mongod` is on PATH,',
  '  - start a Docker engine (a mongo:8 container is run for you),',
  '  - install Go (1.24+) so the embedded FerretDB can be built,',
  '  - or run `docker compose -f docker/compose.yaml up mongo`.',
].join('\n');

function onPath(command, env = process.env) {
  const dirs = (env.PATH || '').split(path.delimiter).filter(Boolean);
  return dirs
    .map((dir) => path.join(dir, command))
    .find((file) => {
      try {
        fs.accessSync(file, fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function findGo(env = process.env) {
  return onPath('go', env) || (fs.existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

async function waitForPort(port, child, timeoutMs) {
  const connected = await eventually(
    () => {
      if (child.exitCode !== null)
        throw new Error(`store exited with code ${child.exitCode} before accepting connections`);
      return canConnect(port);
    },
    (accepted) => accepted,
    timeoutMs,
    100,
  );
  if (!connected) throw new Error(`store did not accept connections on port ${port} within ${timeoutMs} ms`);
}

/**
 * FerretDB 1.24's SQLite backend looks documents up by `_id` with the path
 * `->'$._id'` while its unique index is on `->"_id"`; SQLite matches index
 * expressions by their text, so every look-up and every update by `_id`
 * scanned the whole table. The build swaps in the indexed spelling.
 */
const ID_PATH_FIX = {
  file: path.join('internal', 'backends', 'sqlite', 'metadata', 'metadata.go'),
  from: `IDColumn = DefaultColumn + "->'$._id'"`,
  to: `IDColumn = DefaultColumn + "->'_id'"`,
};

/** What the binary is built from: a change to any of it means a rebuild. */
function buildKey() {
  const hash = crypto.createHash('sha256');
  for (const name of sourceFiles()) hash.update(name).update(fs.readFileSync(path.join(FERRETDB_SRC, name)));
  hash.update(JSON.stringify(ID_PATH_FIX));
  return hash.digest('hex');
}

function sourceFiles() {
  return fs
    .readdirSync(FERRETDB_SRC, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
}

/**
 * Copies the wrapper to `workDir` with its dependencies vendored (Go does not
 * let a build patch files in the module cache) and applies the fix there.
 */
function preparePatchedSource(go, workDir, env) {
  for (const name of sourceFiles()) fs.copyFileSync(path.join(FERRETDB_SRC, name), path.join(workDir, name));
  execFileSync(go, ['mod', 'vendor'], { cwd: workDir, stdio: ['ignore', 'inherit', 'inherit'], env });
  const file = path.join(workDir, 'vendor', 'github.com', 'FerretDB', 'FerretDB', ID_PATH_FIX.file);
  const source = fs.readFileSync(file, 'utf8');
  if (!source.includes(ID_PATH_FIX.from)) throw new Error(`${file} no longer holds the line the build patches`);
  fs.writeFileSync(file, source.replace(ID_PATH_FIX.from, ID_PATH_FIX.to));
}

/** Builds the embedded FerretDB wrapper once; later calls reuse the binary. */
function ensureFerretDb(log = () => {}) {
  const key = buildKey();
  const keyFile = `${FERRETDB_BIN}.key`;
  if (fs.existsSync(FERRETDB_BIN) && fs.existsSync(keyFile) && fs.readFileSync(keyFile, 'utf8') === key) {
    return FERRETDB_BIN;
  }
  const go = findGo();
  if (!go) {
    if (!fs.existsSync(FERRETDB_BIN)) return undefined;
    log('Go is not available to rebuild FerretDB; using the binary already in .tools/');
    return FERRETDB_BIN;
  }
  log('building FerretDB (first run only, takes a minute or two)...');
  fs.mkdirSync(TOOLS_BIN, { recursive: true });
  const env = { ...process.env, CGO_ENABLED: '0' };
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-ferretdb-build-'));
  // Built aside and moved into place, so a process starting the store meanwhile never runs half a binary.
  const built = `${FERRETDB_BIN}.${process.pid}`;
  try {
    preparePatchedSource(go, workDir, env);
    execFileSync(go, ['build', '-trimpath', '-mod=vendor', '-o', built, '.'], {
      cwd: workDir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env,
    });
    fs.renameSync(built, FERRETDB_BIN);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
    fs.rmSync(built, { force: true });
  }
  fs.writeFileSync(keyFile, key);
  return FERRETDB_BIN;
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Posts `npm start` and the load tests seed by default: FerretDB scans every document, so it gets the original dump's size. */
const DEFAULT_POSTS = { external: 10_000, mongod: 10_000, docker: 10_000, ferretdb: 1_000 };

function defaultSeedPosts(kind) {
  return DEFAULT_POSTS[kind] ?? DEFAULT_POSTS.ferretdb;
}

const FERRETDB_WARNING =
  'warning: the store is the embedded FerretDB, which scans every document for any query not by _id; ' +
  'it is meant for small data (set MONGO_URL, install mongod or start Docker for more)';

const DOCKER = {
  container: 'strangler-mongo',
  volume: 'strangler-mongo-data',
  image: 'mongo:8',
};

function docker(args, env = process.env, timeout = 20_000) {
  const result = spawnSync('docker', args, { env, encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
  const firstLine = (text) => (text || '').trim().split('\n')[0];
  return {
    ok: result.status === 0,
    stdout: (result.stdout || '').trim(),
    reason: result.error ? result.error.message : firstLine(result.stderr) || `exit code ${result.status}`,
  };
}

/**
 * Picks the store without starting anything: each step tried, in order, with
 * its outcome. Only `docker info` is run, to learn whether an engine answers.
 * @returns {{kind: 'external'|'mongod'|'docker'|'ferretdb'|undefined, command?: string, steps: {step: string, outcome: string}[]}}
 */
function resolveStore(env = process.env) {
  const steps = [];
  const chosen = (kind, extra = {}) => ({ kind, steps, ...extra });
  if (env.MONGO_URL) {
    steps.push({ step: 'MONGO_URL', outcome: `set: ${redact(env.MONGO_URL)}` });
    return chosen('external');
  }
  steps.push({ step: 'MONGO_URL', outcome: 'not set' });
  const mongod = onPath('mongod', env);
  steps.push({ step: 'mongod on PATH', outcome: mongod ? `found: ${mongod}` : 'not found' });
  if (mongod) return chosen('mongod', { command: mongod });
  const dockerCli = onPath('docker', env);
  if (!dockerCli) {
    steps.push({ step: 'Docker engine', outcome: 'no docker command on PATH' });
  } else {
    const info = docker(['info', '--format', '{{.ServerVersion}}'], env);
    steps.push({
      step: 'Docker engine',
      outcome: info.ok ? `running (server ${info.stdout || 'unknown version'})` : `not answering: ${info.reason}`,
    });
    if (info.ok) return chosen('docker', { command: dockerCli });
  }
  if (fs.existsSync(FERRETDB_BIN)) {
    steps.push({ step: 'embedded FerretDB', outcome: `built: ${path.relative(ROOT, FERRETDB_BIN)}` });
    return chosen('ferretdb', { command: FERRETDB_BIN });
  }
  const go = findGo(env);
  steps.push({
    step: 'embedded FerretDB',
    outcome: go ? `not built yet; Go at ${go} builds it on first start` : 'not built, and no Go to build it',
  });
  return go ? chosen('ferretdb') : chosen(undefined);
}

/** A URL fit for printing: the password replaced. */
function redact(url) {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

/** Resolves once a `ping` succeeds: a published Docker port accepts connections before mongod is ready. */
async function waitForPing(url, timeoutMs, isGone = () => false) {
  const { MongoClient } = require('mongodb');
  /** @returns {Promise<Error | undefined>} why the ping failed, undefined once it succeeds */
  const ping = async () => {
    if (isGone()) throw new Error('store exited before it answered');
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
    try {
      await client.db('admin').command({ ping: 1 });
      return undefined;
    } catch (error) {
      return error;
    } finally {
      await client.close().catch(() => undefined);
    }
  };
  const failure = await eventually(ping, (error) => error === undefined, timeoutMs, 250);
  if (failure)
    throw new Error(`store at ${redact(url)} did not answer within ${timeoutMs} ms: ${failure.message ?? 'no answer'}`);
}

/** `127.0.0.1:27017` (or several lines, IPv6 too) from `docker port` -> 27017. */
function publishedPort(text) {
  const match = /:(\d+)\s*$/m.exec(text.split('\n')[0] || '');
  return match ? Number(match[1]) : undefined;
}

/**
 * The `strangler-mongo` container: reused when running, started again when
 * stopped, else created on a named volume. Stopped on stop() only if started here.
 */
async function startDockerMongo({ port, log, env = process.env }) {
  const { container, volume, image } = DOCKER;
  const state = docker(['inspect', '--format', '{{.State.Running}}', container], env);
  let startedHere = true;
  if (state.ok && state.stdout === 'true') {
    startedHere = false;
    log(`reusing the running Docker container ${container}`);
  } else if (state.ok) {
    log(`starting the stopped Docker container ${container}`);
    const started = docker(['start', container], env);
    if (!started.ok) throw new Error(`docker start ${container} failed: ${started.reason}`);
  } else {
    const hostPort = port || ((await canListenOn(27017)) ? 27017 : await freePort());
    log(`starting ${image} in Docker as ${container} (data in volume ${volume}; the first pull takes a while)`);
    const run = docker(
      ['run', '-d', '--name', container, '-v', `${volume}:/data/db`, '-p', `127.0.0.1:${hostPort}:27017`, image],
      env,
      10 * 60_000,
    );
    if (!run.ok) throw new Error(`docker run ${image} failed: ${run.reason}`);
  }
  const mapping = docker(['port', container, '27017/tcp'], env);
  const hostPort = mapping.ok ? publishedPort(mapping.stdout) : undefined;
  if (!hostPort) throw new Error(`container ${container} publishes no port for 27017 (docker port: ${mapping.reason})`);
  const url = `mongodb://127.0.0.1:${hostPort}/`;
  await waitForPing(url, 120_000);
  return {
    url,
    kind: 'docker',
    stop: async () => {
      if (startedHere) docker(['stop', container], env, 60_000);
    },
  };
}

function canListenOn(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Starts (or points at) a document store, chosen by resolveStore().
 * @param {{dataDir: string, port?: number, log?: (msg: string) => void, stdio?: string, env?: NodeJS.ProcessEnv}} options
 * @returns {Promise<{url: string, kind: string, stop: () => Promise<void>, child?: import('node:child_process').ChildProcess}>}
 */
async function startStore({ dataDir, port, log = () => {}, stdio = 'ignore', env = process.env }) {
  const plan = resolveStore(env);
  if (plan.kind === 'external') return { url: env.MONGO_URL, kind: 'external', stop: async () => {} };
  if (plan.kind === 'docker') return startDockerMongo({ port, log, env });
  if (!plan.kind) throw new Error(HOW_TO_GET_A_STORE);
  const listenPort = port || (await freePort());
  let command;
  let args;
  if (plan.kind === 'mongod') {
    command = plan.command;
    const dbPath = path.join(dataDir, 'mongod');
    fs.mkdirSync(dbPath, { recursive: true });
    args = ['--dbpath', dbPath, '--port', String(listenPort), '--bind_ip', '127.0.0.1', '--quiet'];
  } else {
    command = ensureFerretDb(log);
    if (!command) throw new Error(HOW_TO_GET_A_STORE);
    log(FERRETDB_WARNING);
    const sqliteDir = path.join(dataDir, 'ferretdb');
    args = ['--listen-addr', `127.0.0.1:${listenPort}`, '--data-dir', sqliteDir, '--log-level', 'error'];
  }
  const child = spawn(command, args, { stdio: ['ignore', stdio, stdio] });
  try {
    await waitForPort(listenPort, child, 30_000);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return {
    url: `mongodb://127.0.0.1:${listenPort}/`,
    kind: plan.kind,
    child,
    stop: () => stopChild(child),
  };
}

/** The FerretDB release the embedded store is built from (scripts/ferretdb/go.mod). */
function embeddedFerretDbVersion() {
  const goMod = fs.readFileSync(path.join(FERRETDB_SRC, 'go.mod'), 'utf8');
  return /github\.com\/FerretDB\/FerretDB v(\S+)/.exec(goMod)?.[1];
}

/**
 * What the server says it is, from `buildInfo`: FerretDB names itself there
 * (ferretdbVersion) next to the MongoDB version it speaks for. A FerretDB
 * embedded in a wrapper reports its version as "unknown"; for our own
 * (`kind` ferretdb) the release it is built from stands in.
 * @returns {Promise<{product: 'MongoDB'|'FerretDB', version: string, label: string}>}
 */
async function describeServer(url, kind) {
  const { MongoClient } = require('mongodb');
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    if (info.ferretdbVersion !== undefined) {
      let version = String(info.ferretdbVersion).replace(/^v/, '');
      if (version === 'unknown' && kind === 'ferretdb') version = embeddedFerretDbVersion() ?? version;
      return { product: 'FerretDB', version, label: `FerretDB ${version} (MongoDB ${info.version} protocol)` };
    }
    return { product: 'MongoDB', version: String(info.version), label: `MongoDB ${info.version}` };
  } finally {
    await client.close();
  }
}

module.exports = {
  startStore,
  resolveStore,
  describeServer,
  defaultSeedPosts,
  ensureFerretDb,
  findGo,
  freePort,
  canConnect,
  stopChild,
  onPath,
  redact,
  ROOT,
  TOOLS_BIN,
  DOCKER,
  FERRETDB_WARNING,
  HOW_TO_GET_A_STORE,
};
