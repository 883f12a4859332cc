'use strict';
// Starts one private document store for the whole run (each suite works in its
// own database) and resolves the event log server (NATS with JetStream).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startStore } = require('../../scripts/lib/store');
const { startNats } = require('../../scripts/lib/nats');
const { downBrokers } = require('../../scripts/lib/brokers');

module.exports = async function globalSetup() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-test-store-'));
  const log = (msg) => process.stderr.write(`${msg}\n`);
  const [storeStarted, natsStarted] = await Promise.allSettled([
    startStore({ dataDir, log }),
    startNats({ dataDir, log }),
  ]);
  const store = storeStarted.status === 'fulfilled' ? storeStarted.value : undefined;
  const nats = natsStarted.status === 'fulfilled' ? natsStarted.value : undefined;
  if (!store || !nats) {
    await Promise.all([store?.stop(), nats?.stop()]);
    throw storeStarted.reason ?? natsStarted.reason;
  }
  process.env.TEST_MONGO_URL = store.url;
  process.env.TEST_STORE_KIND = store.kind;
  process.env.TEST_NATS_URL = nats.url;
  process.env.TEST_NATS_KIND = nats.kind;
  process.env.TEST_BROKERS_DOWN = (await downBrokers()).join(',');
  const cleanup = () => {
    store.child?.kill('SIGKILL');
    nats.child?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  globalThis.__STRANGLER_STORE__ = { store, nats, dataDir };
};
