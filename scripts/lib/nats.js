'use strict';
// Resolves the event log server (NATS with JetStream), like the store:
// NATS_URL -> a server on 127.0.0.1:4222 with JetStream on -> nats-server
// built with `go install` into .tools/ and run on a free port.
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { findGo, freePort, redact, stopChild, ROOT, TOOLS_BIN } = require('./store');
const { eventually } = require('./wait');

const NATS_VERSION = 'v2.12.15';
const NATS_MODULE = 'github.com/nats-io/nats-server/v2';
const NATS_BIN = path.join(TOOLS_BIN, 'nats-server');
const LOCAL_URL = 'nats://127.0.0.1:4222';

const HOW_TO_GET_NATS = [
  'No NATS server with JetStream available. Any one of these works:',
  '  - set NATS_URL to a NATS server with JetStream enabled,',
  '  - run `nats-server -js` on 127.0.0.1:4222,',
  `  - or install Go (1.24+) so that nats-server ${NATS_VERSION} can be built into .tools/.`,
].join('\n');

/**
 * Connects and asks for the JetStream account info: the way to tell a server
 * with JetStream from one without it, with no monitoring port needed.
 * @returns {Promise<{ok: true} | {ok: false, reason: string}>}
 */
async function probeJetStream(url, timeoutMs = 2000) {
  const { connect } = require('nats');
  let nc;
  try {
    nc = await connect({ servers: url, timeout: timeoutMs, reconnect: false, maxReconnectAttempts: 0 });
  } catch (error) {
    return { ok: false, reason: `no server (${error.code || error.message})` };
  }
  try {
    const jsm = await nc.jetstreamManager({ timeout: timeoutMs });
    await jsm.getAccountInfo();
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `JetStream is off (${error.code || error.message})` };
  } finally {
    await nc.close().catch(() => undefined);
  }
}

/** True when .tools/ holds nats-server of the pinned version. */
function isBuilt() {
  try {
    return fs.existsSync(NATS_BIN) && fs.readFileSync(`${NATS_BIN}.version`, 'utf8') === NATS_VERSION;
  } catch {
    return false;
  }
}

/** Builds nats-server once per pinned version; later calls reuse the binary. */
function ensureNatsServer(log = () => {}) {
  if (isBuilt()) return NATS_BIN;
  const go = findGo();
  if (!go) return undefined;
  log(`building nats-server ${NATS_VERSION} (first run only, takes a minute)...`);
  fs.mkdirSync(TOOLS_BIN, { recursive: true });
  // Installed aside and moved into place, so a process starting the server meanwhile never runs half a binary.
  const gobin = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-nats-build-'));
  try {
    execFileSync(go, ['install', `${NATS_MODULE}@${NATS_VERSION}`], {
      cwd: gobin,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
    });
    fs.renameSync(path.join(gobin, 'nats-server'), NATS_BIN);
  } finally {
    fs.rmSync(gobin, { recursive: true, force: true });
  }
  fs.writeFileSync(`${NATS_BIN}.version`, NATS_VERSION);
  return NATS_BIN;
}

/**
 * Picks the event log server without starting anything: each step tried, in
 * order, with its outcome.
 * @returns {Promise<{kind: 'external'|'local'|'built'|undefined, url?: string, steps: {step: string, outcome: string}[]}>}
 */
async function resolveNats(env = process.env) {
  const steps = [];
  if (env.NATS_URL) {
    steps.push({ step: 'NATS_URL', outcome: `set: ${redact(env.NATS_URL)}` });
    return { kind: 'external', url: env.NATS_URL, steps };
  }
  steps.push({ step: 'NATS_URL', outcome: 'not set' });
  const local = await probeJetStream(LOCAL_URL);
  steps.push({ step: 'NATS on 127.0.0.1:4222', outcome: local.ok ? 'running with JetStream' : local.reason });
  if (local.ok) return { kind: 'local', url: LOCAL_URL, steps };
  if (isBuilt()) {
    steps.push({ step: `nats-server ${NATS_VERSION}`, outcome: `built: ${path.relative(ROOT, NATS_BIN)}` });
    return { kind: 'built', steps };
  }
  const go = findGo(env);
  steps.push({
    step: `nats-server ${NATS_VERSION}`,
    outcome: go ? `not built yet; Go at ${go} builds it on first start` : 'not built, and no Go to build it',
  });
  return { kind: go ? 'built' : undefined, steps };
}

async function waitForJetStream(url, isGone, timeoutMs) {
  let last = 'no answer';
  const probe = await eventually(
    async () => {
      if (isGone()) throw new Error(`nats-server exited before JetStream was ready (${last})`);
      const answer = await probeJetStream(url, 1000);
      if (!answer.ok) last = answer.reason;
      return answer;
    },
    (answer) => answer.ok,
    timeoutMs,
    150,
  );
  if (!probe.ok) throw new Error(`nats-server at ${url} had no JetStream within ${timeoutMs} ms (${last})`);
}

/**
 * Runs the nats-server of .tools/ (building it first if need be) on `port`
 * with JetStream's data in `<dataDir>/nats`, whatever else is running. stop()
 * and start() run it again on the same port and data, which is how a chaos
 * test kills the event log and brings it back.
 */
async function startOwnNats({ dataDir, port, log = () => {}, stdio = 'ignore' }) {
  const command = ensureNatsServer(log);
  if (!command) throw new Error(HOW_TO_GET_NATS);
  const listenPort = port || (await freePort());
  const storeDir = path.join(dataDir, 'nats');
  fs.mkdirSync(storeDir, { recursive: true });
  const url = `nats://127.0.0.1:${listenPort}`;
  const args = ['-js', '-sd', storeDir, '-a', '127.0.0.1', '-p', String(listenPort)];
  let child;
  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    const current = spawn(command, args, { stdio: ['ignore', stdio, stdio] });
    child = current;
    const gone = () => current.exitCode !== null || current.signalCode !== null;
    try {
      await waitForJetStream(url, gone, 30_000);
    } catch (error) {
      await stopChild(current);
      throw error;
    }
  };
  const stop = async () => {
    if (child) await stopChild(child);
  };
  await start();
  return {
    url,
    kind: 'built',
    port: listenPort,
    get child() {
      return child;
    },
    start,
    stop,
    /** Ends the server with `signal` (SIGKILL for a crash) and starts it again on the same port and data. */
    restart: async (signal = 'SIGTERM') => {
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill(signal);
        await exited;
      }
      await start();
    },
  };
}

/**
 * Starts (or points at) the event log server, chosen by resolveNats().
 * @param {{dataDir: string, port?: number, log?: (msg: string) => void, stdio?: string, env?: NodeJS.ProcessEnv}} options
 */
async function startNats({ dataDir, port, log = () => {}, stdio = 'ignore', env = process.env }) {
  const plan = await resolveNats(env);
  if (plan.kind === 'external' || plan.kind === 'local')
    return { url: plan.url, kind: plan.kind, stop: async () => {} };
  if (!plan.kind) throw new Error(HOW_TO_GET_NATS);
  return startOwnNats({ dataDir, port, log, stdio });
}

module.exports = {
  startNats,
  startOwnNats,
  resolveNats,
  probeJetStream,
  ensureNatsServer,
  NATS_VERSION,
  NATS_BIN,
  LOCAL_URL,
  HOW_TO_GET_NATS,
};
