#!/usr/bin/env node
'use strict';
// `npm start` (after `npm run build`): starts the store (embedded FerretDB unless MONGO_URL is
// set), seeds demo posts into an empty database, then runs the monolith, the
// extracted services, the relay and the gateway until Ctrl+C.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { startStack } = require('./lib/stack');
const { ROOT } = require('./lib/store');

const SEED_POSTS = Number(process.env.SEED_POSTS || 10_000);
const say = (message) => process.stdout.write(`${message}\n`);

async function seedIfEmpty(mongoUrl) {
  const { countPosts, seedDemoPosts } = require(path.join(ROOT, 'dist', 'datasets', 'src'));
  if ((await countPosts(mongoUrl, 'reddit')) > 0) return;
  say(`seeding ${SEED_POSTS} generated posts...`);
  const summary = await seedDemoPosts(mongoUrl, 'reddit', SEED_POSTS);
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

async function main() {
  const dataDir = process.env.STORE_DATA_DIR || path.join(ROOT, '.data');
  const admin = adminToken(dataDir);
  const stack = await startStack({
    dataDir,
    // Free ports instead of 3000-3105, for a second copy or the start test.
    randomPorts: process.env.START_RANDOM_PORTS === '1',
    log: say,
    restart: true,
    env: { GATEWAY_ADMIN_TOKEN: admin.token, ...pick(process.env) },
    beforeApps: seedIfEmpty,
  });
  const url = stack.url('gateway');
  say(`
Strangler is running at ${url}  (logs in ${path.join(dataDir, 'logs')}, store ${masked(stack.store.url)})
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
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

/** Settings a user may pass through to every process. */
function pick(env) {
  const keys = ['TRANSPORT', 'REDIS_URL', 'NATS_URL', 'RABBITMQ_URL', 'MQTT_URL', 'LOG_LEVEL', 'ROUTES_FILE'];
  return Object.fromEntries(keys.filter((key) => env[key]).map((key) => [key, env[key]]));
}

main().catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
