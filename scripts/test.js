#!/usr/bin/env node
'use strict';
// `npm test`, what CI runs: builds (end-to-end tests run the compiled
// processes), type-checks all code with its specs and the dashboard (swc strips types when jest
// runs them), lints, runs every jest tier, and ends with the plain summary
// line `N passed, N failed[, N skipped]`, each type check and the lint counting as
// one test each.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status === 0;

const build = run('npm', ['run', '-s', 'build']);
if (!build) {
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}

const checks = [
  ['tsc --noEmit (all code and specs)', run(npx, ['tsc', '-p', 'tsconfig.check.json'])],
  ['tsc --noEmit (the dashboard, in the browser)', run(npx, ['tsc', '-p', 'gateway/ui/tsconfig.json'])],
  ['eslint .', run(npx, ['eslint', '.'])],
];
for (const [name, ok] of checks) process.stdout.write(`${ok ? 'passed' : 'FAILED'}: ${name}\n`);

const resultsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-jest-')), 'results.json');
// --forceExit: the suites start and stop real processes and connections; once the global teardown has
// stopped the run's store, a handle that outlives it must not keep CI waiting until its time limit.
const jest = spawnSync(
  npx,
  ['jest', '--ci', '--maxWorkers=2', '--forceExit', '--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);

let summary = { numPassedTests: 0, numFailedTests: 1, numPendingTests: 0, numTodoTests: 0 };
try {
  summary = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
} catch {
  process.stderr.write('jest wrote no results; counting the run as failed\n');
}
fs.rmSync(path.dirname(resultsFile), { recursive: true, force: true });

const checksFailed = checks.filter(([, ok]) => !ok).length;
const passed = summary.numPassedTests + checks.length - checksFailed;
const failed = summary.numFailedTests + (summary.numRuntimeErrorTestSuites ?? 0) + checksFailed;
const skipped = summary.numPendingTests + summary.numTodoTests;
const line = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
process.stdout.write(`\n${line}\n`);
process.exit(jest.status === 0 && failed === 0 ? 0 : 1);
