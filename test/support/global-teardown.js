'use strict';
const fs = require('node:fs');

module.exports = async function globalTeardown() {
  const { store, dataDir } = globalThis.__STRANGLER_STORE__ ?? {};
  if (!store) return;
  await store.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
};
