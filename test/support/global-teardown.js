'use strict';
const fs = require('node:fs');

module.exports = async function globalTeardown() {
  const { store, nats, dataDir } = globalThis.__STRANGLER_STORE__ ?? {};
  if (!store) return;
  await Promise.all([store.stop(), nats?.stop()]);
  fs.rmSync(dataDir, { recursive: true, force: true });
};
