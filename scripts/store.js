#!/usr/bin/env node
'use strict';
// `npm run store`: runs the document store in the foreground and prints its URL.
const path = require('node:path');
const { startStore, ROOT } = require('./lib/store');

async function main() {
  const port = Number(process.env.STORE_PORT || 27017);
  const dataDir = process.env.STORE_DATA_DIR || path.join(ROOT, '.data');
  const store = await startStore({ dataDir, port, stdio: 'inherit', log: (msg) => process.stderr.write(`${msg}\n`) });
  process.stdout.write(`MONGO_URL=${store.url}\n`);
  if (!store.child) return;
  const shutdown = () => store.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  store.child.on('exit', (code) => process.exit(code ?? 1));
}

main().catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
