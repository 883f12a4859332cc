'use strict';
// Validates the deployment files (docker/) without a Docker engine or a
// cluster, with tools built once by Go into the git-ignored .tools/ (like
// the embedded FerretDB in store.js):
//   helm, kubeconform          `go install` at the pinned versions below;
//   compose-config             compose-go, the loader inside Docker Compose v2;
//   dockerfile-lint            BuildKit's checks of `docker build --check`;
//   k8s-schemas                strict JSON schemas of the Kubernetes kinds for
//                              kubeconform, generated from the pinned k8s.io/api
//                              (kubeconform's default schemas live on the internet).
// The last three are this repository's scripts/deploy-tools module; a change to
// its sources rebuilds them. hadolint is used when it is on PATH.
const { execFileSync, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, onPath } = require('./store');

const TOOLS_DIR = path.join(ROOT, '.tools');
const TOOLS_BIN = path.join(TOOLS_DIR, 'bin');
const SCHEMAS_DIR = path.join(TOOLS_DIR, 'k8s-schemas');
const STAMP_FILE = path.join(TOOLS_DIR, 'deploy-tools.json');
const MODULE_DIR = path.join(ROOT, 'scripts', 'deploy-tools');
const GENERATED_FILE = path.join(MODULE_DIR, 'internal', 'k8sopenapi', 'zz_generated.openapi.go');

const PINNED = {
  helm: {
    pkg: 'helm.sh/helm/v3/cmd/helm',
    version: 'v3.22.0',
    ldflags: '-X helm.sh/helm/v3/internal/version.version=v3.22.0',
  },
  kubeconform: { pkg: 'github.com/yannh/kubeconform/cmd/kubeconform', version: 'v0.8.0' },
};
const MODULE_TOOLS = ['compose-config', 'dockerfile-lint', 'k8s-schemas'];

/** The deployment files, relative to the repository root. */
const DEPLOY_FILES = {
  dockerfile: 'docker/Dockerfile',
  compose: 'docker/compose.yaml',
  composeTest: 'docker/compose.test.yaml',
  chart: 'docker/helm/strangler',
};

/** Value sets the chart is validated with: its defaults, and every optional part switched the other way. */
const CHART_VARIANTS = {
  'default values': [],
  'external MongoDB, Redis, autoscaling, no seed': [
    '--set',
    [
      'transport=redis',
      'mongodb.url=mongodb://mongo.example:27017/',
      'components.gateway.autoscaling.enabled=true',
      'components.search.autoscaling.enabled=true',
      'gateway.adminToken=a-long-enough-token',
      'gateway.service.type=LoadBalancer',
      'seed.enabled=false',
      'serviceAccount.create=false',
    ].join(','),
  ],
};

/** The Kubernetes release the schemas describe: k8s.io/api v0.X.Y is Kubernetes 1.X.Y. */
function kubernetesVersion() {
  const goMod = fs.readFileSync(path.join(MODULE_DIR, 'go.mod'), 'utf8');
  const match = /^\s*k8s\.io\/api v0\.(\d+)\.(\d+)/m.exec(goMod);
  if (!match) throw new Error('scripts/deploy-tools/go.mod does not require k8s.io/api');
  return `1.${match[1]}.${match[2]}`;
}

function findGo() {
  return onPath('go') || (fs.existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

/** Hash of the module's committed sources: what the three local tools are built from. */
function moduleHash() {
  const hash = crypto.createHash('sha256');
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file !== GENERATED_FILE && /\.(go|mod|sum)$/.test(entry.name)) {
        hash.update(path.relative(MODULE_DIR, file)).update(fs.readFileSync(file));
      }
    }
  };
  walk(MODULE_DIR);
  return hash.digest('hex');
}

function readStamp() {
  try {
    return JSON.parse(fs.readFileSync(STAMP_FILE, 'utf8'));
  } catch {
    return {};
  }
}

function binary(name) {
  return path.join(TOOLS_BIN, name);
}

/**
 * Builds whatever is missing or out of date and returns the tools' paths.
 * The first run takes a few minutes (downloads and compiles Helm and BuildKit);
 * later runs only compare versions.
 * @param {{log?: (msg: string) => void}} [options]
 */
function ensureDeployTools({ log = () => {} } = {}) {
  const stamp = readStamp();
  const wanted = {
    helm: PINNED.helm.version,
    kubeconform: PINNED.kubeconform.version,
    module: moduleHash(),
  };
  const go = findGo();
  const goRun = (args, cwd) => {
    if (!go) throw new Error('Go (1.26+) is needed to build the deployment checks: install it so that `go` is on PATH');
    execFileSync(go, args, {
      cwd,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, GOBIN: TOOLS_BIN, CGO_ENABLED: '0' },
    });
  };
  fs.mkdirSync(TOOLS_BIN, { recursive: true });

  for (const [name, tool] of Object.entries(PINNED)) {
    if (stamp[name] === wanted[name] && fs.existsSync(binary(name))) continue;
    log(`building ${name} ${tool.version} into .tools/bin (first run only)...`);
    goRun(['install', ...(tool.ldflags ? [`-ldflags=${tool.ldflags}`] : []), `${tool.pkg}@${tool.version}`], ROOT);
    stamp[name] = wanted[name];
    fs.writeFileSync(STAMP_FILE, JSON.stringify(stamp, null, 2));
  }

  const version = kubernetesVersion();
  const schemaDir = path.join(SCHEMAS_DIR, `v${version}-standalone-strict`);
  const moduleBuilt = stamp.module === wanted.module && MODULE_TOOLS.every((name) => fs.existsSync(binary(name)));
  if (!moduleBuilt || !fs.existsSync(schemaDir)) {
    log('building compose-config, dockerfile-lint and the Kubernetes schemas (first run only)...');
    goRun(['generate', './internal/k8sopenapi'], MODULE_DIR);
    goRun(['build', '-trimpath', '-o', TOOLS_BIN + path.sep, './cmd/...'], MODULE_DIR);
    fs.rmSync(SCHEMAS_DIR, { recursive: true, force: true });
    execFileSync(binary('k8s-schemas'), ['-out', SCHEMAS_DIR], { stdio: ['ignore', 'ignore', 'inherit'] });
    stamp.module = wanted.module;
    fs.writeFileSync(STAMP_FILE, JSON.stringify(stamp, null, 2));
  }

  return {
    helm: binary('helm'),
    kubeconform: binary('kubeconform'),
    composeConfig: binary('compose-config'),
    dockerfileLint: binary('dockerfile-lint'),
    hadolint: onPath('hadolint'),
    kubernetesVersion: version,
    schemaLocation: path.join(
      SCHEMAS_DIR,
      '{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json',
    ),
  };
}

/**
 * Runs a tool; never throws for a non-zero exit.
 * @returns {{ok: boolean, status: number|null, stdout: string, stderr: string, output: string}}
 */
function run(command, args, { input, cwd = ROOT } = {}) {
  const result = spawnSync(command, args, { cwd, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return {
    ok: result.status === 0,
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    output: `${result.stdout}${result.stderr}`.trim(),
  };
}

/** `docker compose config` without Docker: schema, interpolation, references, build paths. */
function composeConfig(tools, files, { profiles = [] } = {}) {
  const args = [...files.flatMap((file) => ['-f', file]), ...profiles.flatMap((profile) => ['-profile', profile])];
  return run(tools.composeConfig, args);
}

function lintDockerfile(tools, dockerfile) {
  return run(tools.dockerfileLint, [dockerfile]);
}

function helmLint(tools, chartDir, helmArgs = []) {
  return run(tools.helm, ['lint', '--strict', '--kube-version', tools.kubernetesVersion, chartDir, ...helmArgs]);
}

function helmTemplate(tools, chartDir, helmArgs = []) {
  return run(tools.helm, ['template', 'strangler', chartDir, '--kube-version', tools.kubernetesVersion, ...helmArgs]);
}

/**
 * kubeconform -strict on rendered manifests, offline. An empty input is a
 * failure here, since a chart that renders nothing validates nothing.
 */
function kubeconform(tools, manifests) {
  const result = run(
    tools.kubeconform,
    [
      '-strict',
      '-summary',
      '-output',
      'text',
      '-kubernetes-version',
      tools.kubernetesVersion,
      '-schema-location',
      tools.schemaLocation,
      '-',
    ],
    { input: manifests },
  );
  const found = /(\d+) resources? found/.exec(result.stdout);
  const resources = found ? Number(found[1]) : 0;
  return { ...result, ok: result.ok && resources > 0, resources };
}

/** helm template piped to kubeconform -strict. */
function validateChart(tools, chartDir, helmArgs = []) {
  const rendered = helmTemplate(tools, chartDir, helmArgs);
  if (!rendered.ok) return { ...rendered, resources: 0, manifests: '' };
  return { ...kubeconform(tools, rendered.stdout), manifests: rendered.stdout };
}

/**
 * Every check of the deployment files, in order; hadolint is skipped with
 * its reason when it is not installed.
 * @returns {{name: string, ok: boolean, skipped?: string, output: string}[]}
 */
function checkAll(tools) {
  const checks = [
    ['compose.yaml (docker compose config)', () => composeConfig(tools, [DEPLOY_FILES.compose])],
    [
      'compose.yaml + compose.test.yaml (docker compose config)',
      () => composeConfig(tools, [DEPLOY_FILES.compose, DEPLOY_FILES.composeTest], { profiles: ['test'] }),
    ],
    ['Dockerfile (docker build --check rules)', () => lintDockerfile(tools, DEPLOY_FILES.dockerfile)],
    ['Dockerfile (hadolint)', () => (tools.hadolint ? run(tools.hadolint, [DEPLOY_FILES.dockerfile]) : undefined)],
    ...Object.entries(CHART_VARIANTS).flatMap(([variant, args]) => [
      [`chart, ${variant} (helm lint --strict)`, () => helmLint(tools, DEPLOY_FILES.chart, args)],
      [`chart, ${variant} (helm template | kubeconform -strict)`, () => validateChart(tools, DEPLOY_FILES.chart, args)],
    ]),
  ];
  return checks.map(([name, check]) => {
    const result = check();
    if (!result) return { name, ok: true, skipped: 'hadolint is not on PATH', output: '' };
    return { name, ok: result.ok, output: result.output };
  });
}

module.exports = {
  ensureDeployTools,
  checkAll,
  DEPLOY_FILES,
  CHART_VARIANTS,
  composeConfig,
  lintDockerfile,
  helmLint,
  helmTemplate,
  kubeconform,
  validateChart,
  run,
  PINNED,
};
