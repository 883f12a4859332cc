#!/usr/bin/env node
'use strict';
// `npm run registry`: rewrites the files derived from the service registry
// (libs/registry/src/registry.ts) from the compiled build, in Prettier's style.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const { REGISTRY, derivedFiles } = require(path.join(ROOT, 'dist', 'libs', 'registry', 'src'));

// Twice: a file copied into another (routes.yaml into the Helm values) is
// copied as Prettier left it.
let files = [];
for (let pass = 0; pass < 2; pass++) {
  files = derivedFiles((file) => fs.readFileSync(path.join(ROOT, file), 'utf8'), REGISTRY);
  for (const { path: file, text } of files) fs.writeFileSync(path.join(ROOT, file), text);
  const prettier = spawnSync('npx', ['prettier', '--log-level', 'warn', '--write', ...files.map((f) => f.path)], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (prettier.status !== 0) process.exit(prettier.status ?? 1);
}
process.stdout.write(`wrote ${files.map((f) => f.path).join(', ')}\n`);
