'use strict';
// Test tiers, one jest project each (`jest --selectProjects <name>`):
//   unit         specs that need neither a store nor a broker (no global setup)
//   integration  specs that open the test store (and the brokers)
//   e2e          test/*.e2e-spec.ts: whole processes, except the deployment suite
//   deploy       test/deploy.e2e-spec.ts: the packaging in docker/
// A spec's tier follows from what it imports: one that reaches the test store
// through test/support is an integration spec, so moving a spec never needs an
// edit here.
const fs = require('node:fs');
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.json');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);

const IGNORED_DIRS = new Set(['node_modules', 'dist', '.tools', '.data', '.git', 'coverage']);
/** The test/support modules that open the run's store or event log server. */
const STORE_BACKED = /from '(?:\.\.?\/)+(?:test\/)?support\/(?:store|monolith-app|services|sync-app|event-stream)'/;

function specFiles(dir) {
  return fs.readdirSync(path.join(__dirname, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return IGNORED_DIRS.has(entry.name) ? [] : specFiles(relative);
    return entry.name.endsWith('.spec.ts') ? [relative] : [];
  });
}

const specs = specFiles('.').map((file) => path.posix.normalize(file));
const needsStore = (file) => STORE_BACKED.test(fs.readFileSync(path.join(__dirname, file), 'utf8'));
const inRoot = (files) => files.map((file) => `<rootDir>/${file}`);

// ts-graphviz ships ES modules only: node loads them with require() (20.19 and later), jest needs them compiled.
const ESM_ONLY = '(?:ts-graphviz|@ts-graphviz/[^/]+)';

const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc, [`/node_modules/${ESM_ONLY}/.+\\.js$`]: swc },
  transformIgnorePatterns: [`/node_modules/(?!${ESM_ONLY}/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.tools/'],
};
const withStore = {
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
};

module.exports = {
  testTimeout: 120_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: inRoot(specs.filter((file) => !needsStore(file))) },
    { ...base, ...withStore, displayName: 'integration', testMatch: inRoot(specs.filter(needsStore)) },
    {
      ...base,
      ...withStore,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: [...base.testPathIgnorePatterns, '/test/deploy\\.e2e-spec\\.ts$'],
    },
    { ...base, ...withStore, displayName: 'deploy', testMatch: ['<rootDir>/test/deploy.e2e-spec.ts'] },
  ],
};
