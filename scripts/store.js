#!/usr/bin/env node
'use strict';
// `npm run store`: runs the document store in the foreground and prints its URL.
// `npm run store -- info`: says which store and which NATS would be used, and why.
const path = require('node:path');
const { resolveStore, startStore, ROOT, HOW_TO_GET_A_STORE } = require('./lib/store');
const { resolveNats, HOW_TO_GET_NATS } = require('./lib/nats');

const USAGE = 'usage: npm run store [-- start | info]';

const STORE_NAMES = {
  external: 'the MongoDB at MONGO_URL',
  mongod: 'a mongod started from PATH',
  docker: 'MongoDB in Docker (container strangler-mongo, volume strangler-mongo-data)',
  ferretdb: 'the embedded FerretDB (small data only: it scans every document for any query not by _id)',
};
const NATS_NAMES = {
  external: 'the NATS server at NATS_URL',
  local: 'the NATS server on 127.0.0.1:4222',
  built: 'nats-server from .tools/, started on a free port',
};

function printPlan(title, plan, names, missing) {
  const lines = [`${title}: ${plan.kind ? names[plan.kind] : 'none available'}`];
  for (const { step, outcome } of plan.steps) lines.push(`  ${step.padEnd(24)} ${outcome}`);
  if (!plan.kind) lines.push(missing.replace(/^/gm, '  '));
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function info() {
  printPlan('store', resolveStore(), STORE_NAMES, HOW_TO_GET_A_STORE);
  printPlan('event log (NATS JetStream)', await resolveNats(), NATS_NAMES, HOW_TO_GET_NATS);
}

async function run() {
  const port = Number(process.env.STORE_PORT || 27017);
  const dataDir = process.env.STORE_DATA_DIR || path.join(ROOT, '.data');
  const store = await startStore({ dataDir, port, stdio: 'inherit', log: (msg) => process.stderr.write(`${msg}\n`) });
  process.stdout.write(`MONGO_URL=${store.url}\n`);
  const shutdown = () => store.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  if (store.child) store.child.on('exit', (code) => process.exit(code ?? 1));
  else if (store.kind === 'docker') {
    process.stdout.write('Press Ctrl+C to stop.\n');
    // Nothing else keeps this process alive until the signal that stops the container.
    setInterval(() => {}, 1 << 30);
  }
}

async function main(command = 'start') {
  if (command === 'info') return info();
  if (command === 'start') return run();
  process.stderr.write(`unknown command "${command}"\n${USAGE}\n`);
  process.exit(2);
}

main(process.argv[2]).catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
