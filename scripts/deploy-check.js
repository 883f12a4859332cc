#!/usr/bin/env node
'use strict';
// `npm run deploy:check`: validates docker/ (compose files, Dockerfile, Helm
// chart) offline, as CI does; exits non-zero when any check fails.
const { checkAll, ensureDeployTools } = require('./lib/deploy-tools');

const tools = ensureDeployTools({ log: (message) => process.stderr.write(`${message}\n`) });
let failed = 0;
for (const check of checkAll(tools)) {
  if (check.skipped) {
    process.stdout.write(`skipped  ${check.name}: ${check.skipped}\n`);
  } else if (check.ok) {
    process.stdout.write(`ok       ${check.name}\n`);
  } else {
    failed += 1;
    process.stdout.write(`FAILED   ${check.name}\n${check.output.replace(/^/gm, '         ')}\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
