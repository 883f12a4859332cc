'use strict';
// Starts one private document store for the whole run; each suite works in its own database.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startStore } = require('../../scripts/lib/store');
const { downBrokers } = require('./brokers');

module.exports = async function globalSetup() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-test-store-'));
  const store = await startStore({ dataDir, log: (msg) => process.stderr.write(`${msg}\n`) });
  process.env.TEST_MONGO_URL = store.url;
  process.env.TEST_STORE_KIND = store.kind;
  process.env.TEST_BROKERS_DOWN = (await downBrokers()).join(',');
  const cleanup = () => {
    store.child?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  globalThis.__STRANGLER_STORE__ = { store, dataDir };
};
