#!/usr/bin/env node
'use strict';
// `npm start` (after `npm run build`): starts the store (embedded FerretDB unless MONGO_URL is
// set), seeds demo posts into an empty database, then runs the monolith, the
// extracted services, the relay and the gateway until Ctrl+C.
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

async function main() {
  const dataDir = process.env.STORE_DATA_DIR || path.join(ROOT, '.data');
  const stack = await startStack({
    dataDir,
    // Free ports instead of 3000-3105, for a second copy or the start test.
    randomPorts: process.env.START_RANDOM_PORTS === '1',
    log: say,
    env: { GATEWAY_ADMIN_TOKEN: process.env.GATEWAY_ADMIN_TOKEN || 'change-me', ...pick(process.env) },
    beforeApps: seedIfEmpty,
  });
  const url = stack.url('gateway');
  say(`
Strangler is running at ${url}  (logs in ${path.join(dataDir, 'logs')}, store ${stack.store.url})

  curl '${url}/posts?limit=3'
  curl '${url}/search?q=django+rest'
  curl '${url}/recommendations'
  curl -H 'Authorization: Bearer ${stack.env.GATEWAY_ADMIN_TOKEN}' ${url}/_gateway/routes
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
