'use strict';
// Resolves a MongoDB-wire document store: MONGO_URL -> mongod on PATH ->
// embedded FerretDB (built once with Go into .tools/) -> a clear error.
const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const TOOLS_BIN = path.join(ROOT, '.tools', 'bin');
const FERRETDB_BIN = path.join(TOOLS_BIN, 'ferretdb');
const FERRETDB_SRC = path.join(ROOT, 'scripts', 'ferretdb');

const HOW_TO_GET_A_STORE = [
  'No document store available. Any one of these works:',
  '  - set MONGO_URL to a MongoDB you run (local, Atlas, ...),',
  '  - install MongoDB so that `mongod` is on PATH,',
  '  - install Go (1.24+) so the embedded FerretDB can be built,',
  '  - or run `docker compose -f docker/compose.yaml up mongo`.',
].join('\n');

function onPath(command) {
  const dirs = (process.env.PATH || '').split(path.delimiter);
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

async function waitForPort(port, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`store exited with code ${child.exitCode} before accepting connections`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`store did not accept connections on port ${port} within ${timeoutMs} ms`);
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
  const go = onPath('go') || (fs.existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
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

/**
 * Starts (or points at) a document store.
 * @param {{dataDir: string, port?: number, log?: (msg: string) => void, stdio?: string}} options
 * @returns {Promise<{url: string, kind: string, stop: () => Promise<void>, child?: import('node:child_process').ChildProcess}>}
 */
async function startStore({ dataDir, port, log = () => {}, stdio = 'ignore' }) {
  if (process.env.MONGO_URL) {
    return { url: process.env.MONGO_URL, kind: 'external', stop: async () => {} };
  }
  const listenPort = port || (await freePort());
  let command;
  let args;
  let kind;
  const mongod = onPath('mongod');
  if (mongod) {
    kind = 'mongod';
    command = mongod;
    const dbPath = path.join(dataDir, 'mongod');
    fs.mkdirSync(dbPath, { recursive: true });
    args = ['--dbpath', dbPath, '--port', String(listenPort), '--bind_ip', '127.0.0.1', '--quiet'];
  } else {
    command = ensureFerretDb(log);
    if (!command) throw new Error(HOW_TO_GET_A_STORE);
    kind = 'ferretdb';
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
    kind,
    child,
    stop: () => stopChild(child),
  };
}

module.exports = { startStore, ensureFerretDb, freePort, canConnect, stopChild, onPath, ROOT, HOW_TO_GET_A_STORE };
