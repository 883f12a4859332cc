#!/usr/bin/env node
'use strict';
// `npm start` (after `npm run build`): starts the store and the event log
// (see `npm run store -- info`), seeds demo posts into an empty database, then
// runs the monolith, the extracted services, the relay and the gateway until Ctrl+C.
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

async function main() {
  const override = seedPostsOverride(process.env.SEED_POSTS);
  const dataDir = process.env.STORE_DATA_DIR || path.join(ROOT, '.data');
  const stack = await startStack({
    dataDir,
    // Free ports instead of 3000-3105, for a second copy or the start test.
    randomPorts: process.env.START_RANDOM_PORTS === '1',
    log: say,
    env: { GATEWAY_ADMIN_TOKEN: process.env.GATEWAY_ADMIN_TOKEN || 'change-me', ...pick(process.env) },
    beforeApps: (mongoUrl, store) => seedIfEmpty(mongoUrl, store, override),
  });
  const url = stack.url('gateway');
  say(`
Strangler is running at ${url}  (logs in ${path.join(dataDir, 'logs')})
  monolith ${stack.url('monolith')}, relay ${stack.url('sync')}, store ${stack.store.url} (${stack.store.kind}), event log ${stack.nats.url}

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
