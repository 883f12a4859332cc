#!/usr/bin/env node
'use strict';
// `npm start` (after `npm run build`): starts the store and the event log
// (see `npm run store -- info`), seeds demo posts into an empty database, then
// runs the monolith, the extracted services, the relay and the gateway until Ctrl+C.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { startStack } = require('./lib/stack');
const { defaultSeedPosts, ROOT } = require('./lib/store');

const say = (message) => process.stdout.write(`${message}\n`);

/** SEED_POSTS when set; checked before anything starts. */
function seedPostsOverride(text) {
  if (text === undefined || text === '') return undefined;
  const posts = Number(text);
  if (!Number.isSafeInteger(posts) || posts < 1)
    throw new Error(`SEED_POSTS must be a positive whole number (got "${text}")`);
  return posts;
}

async function seedIfEmpty(mongoUrl, store, override) {
  const { countPosts, seedDemoPosts } = require(path.join(ROOT, 'dist', 'datasets', 'src'));
  if ((await countPosts(mongoUrl, 'reddit')) > 0) return;
  // What the store handles well: 10 000 posts on MongoDB, 1 000 on FerretDB.
  const posts = override ?? defaultSeedPosts(store.kind);
  say(`seeding ${posts} generated posts...`);
  const summary = await seedDemoPosts(mongoUrl, 'reddit', posts);
  say(`seeded: ${summary.inserted} inserted`);
}

/** The file the admin token lives in; must match ADMIN_TOKEN_FILE_NAME in gateway/src/gateway.config.ts. */
const TOKEN_FILE_NAME = 'gateway-admin-token';

/**
 * The admin token: GATEWAY_ADMIN_TOKEN if given, else the one a previous run
 * generated, else a new random one, kept (owner-only) in the data folder,
 * which git ignores. Returns where it is, so that is what gets printed.
 */
function adminToken(dataDir) {
  if (process.env.GATEWAY_ADMIN_TOKEN) {
    return { token: process.env.GATEWAY_ADMIN_TOKEN, where: 'GATEWAY_ADMIN_TOKEN', shell: '$GATEWAY_ADMIN_TOKEN' };
  }
  const file = path.join(dataDir, TOKEN_FILE_NAME);
  let token = '';
  try {
    token = fs.readFileSync(file, 'utf8').trim();
  } catch {
    // First run: generated below.
  }
  if (!token) {
    token = crypto.randomBytes(24).toString('base64url');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  }
  return { token, where: file, shell: `$(cat '${file}')` };
}

/** A connection URL without its user and password, for printing. */
const masked = (url) => url.replace(/(:\/\/)[^@/]*@/, '$1***@');

/** The variables a tool needs to reach the running stack (no secrets: the admin token stays in its file). */
const REACH_KEYS =
  /^(MONGO_URL|NATS_URL|TRANSPORT|EVENT_STREAM|MONOLITH_URL|SYNC_URL|REDIS_URL|RABBITMQ_URL|MQTT_URL|[A-Z0-9_]+_RPC_PORT)$/;

/**
 * Writes where the running stack is (URLs, ports, process ids, transport
 * settings) to stack.json in the data folder, for `npm run workshop` and
 * other tools; rewritten when a process is restarted, removed on stop.
 */
function writeStackFile(file, stack, adminTokenFile) {
  const processes = Object.fromEntries(
    Object.entries(stack.ports).map(([name, port]) => [
      name,
      { port, url: stack.url(name), pid: stack.process(name)?.child.pid },
    ]),
  );
  const env = Object.fromEntries(Object.entries(stack.env).filter(([key]) => REACH_KEYS.test(key)));
  const info = { pid: process.pid, processes, env, store: stack.store.kind, adminTokenFile };
  fs.writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`);
}

async function main() {
  const override = seedPostsOverride(process.env.SEED_POSTS);
  const dataDir = process.env.STORE_DATA_DIR || path.join(ROOT, '.data');
  const admin = adminToken(dataDir);
  const stackFile = path.join(dataDir, 'stack.json');
  const tokenFile = admin.where === 'GATEWAY_ADMIN_TOKEN' ? undefined : admin.where;
  let stack;
  stack = await startStack({
    dataDir,
    // Free ports instead of 3000-3105, for a second copy or the start test.
    randomPorts: process.env.START_RANDOM_PORTS === '1',
    log: (message) => {
      say(message);
      // A restarted process has a new id.
      if (stack && / restarted$/.test(message)) writeStackFile(stackFile, stack, tokenFile);
    },
    restart: true,
    env: { GATEWAY_ADMIN_TOKEN: admin.token, ...pick(process.env) },
    beforeApps: (mongoUrl, store) => seedIfEmpty(mongoUrl, store, override),
  });
  writeStackFile(stackFile, stack, tokenFile);
  const url = stack.url('gateway');
  say(`
Strangler is running at ${url}  (logs in ${path.join(dataDir, 'logs')})
  monolith ${stack.url('monolith')}, relay ${stack.url('sync')}, store ${masked(stack.store.url)} (${stack.store.kind}), event log ${masked(stack.nats.url)}
The admin token is in ${admin.where}; a process that dies is restarted.

  curl '${url}/posts?limit=3'
  curl '${url}/search?q=django+rest'
  curl '${url}/recommendations'
  curl -H "Authorization: Bearer ${admin.shell}" ${url}/_gateway/routes
  npm run route -- set search search      # serve /search from the search service
  npm run route -- rollback search        # and back to the monolith

Press Ctrl+C to stop.`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    say('stopping...');
    fs.rmSync(stackFile, { force: true });
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

/** Settings a user may pass through to every process. */
function pick(env) {
  const keys = [
    'TRANSPORT',
    'REDIS_URL',
    'NATS_URL',
    'RABBITMQ_URL',
    'MQTT_URL',
    'LOG_LEVEL',
    'ROUTES_FILE',
    'EVENT_STREAM',
  ];
  return Object.fromEntries(keys.filter((key) => env[key]).map((key) => [key, env[key]]));
}

main().catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
