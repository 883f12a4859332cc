#!/usr/bin/env node
'use strict';
// `npm test`: builds (end-to-end tests run the compiled processes), runs jest,
// and ends with the plain summary line `N passed, N failed[, N skipped]`.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}

const resultsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-jest-')), 'results.json');
const jest = spawnSync(
  npx,
  ['jest', '--ci', '--maxWorkers=2', '--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);

let summary = { numPassedTests: 0, numFailedTests: 1, numPendingTests: 0, numTodoTests: 0 };
try {
  summary = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
} catch {
  process.stderr.write('jest wrote no results; counting the run as failed\n');
}
fs.rmSync(path.dirname(resultsFile), { recursive: true, force: true });

const failed = summary.numFailedTests + (summary.numRuntimeErrorTestSuites ?? 0);
const skipped = summary.numPendingTests + summary.numTodoTests;
const line = `${summary.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
process.stdout.write(`\n${line}\n`);
process.exit(jest.status === 0 && failed === 0 ? 0 : 1);
