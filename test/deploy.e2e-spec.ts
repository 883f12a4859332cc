import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { parse, parseAllDocuments } from 'yaml';
import {
  CHART_VARIANTS,
  DEPLOY_FILES,
  DeployTools,
  ToolResult,
  composeConfig,
  ensureDeployTools,
  helmLint,
  helmTemplate,
  lintDockerfile,
  run,
  validateChart,
} from '../scripts/lib/deploy-tools';
import { ROOT, freePort, stopChild } from '../scripts/lib/store';
import { eventually } from '@app/platform';
import { REGISTRY, Registry, entryFileOf, microserviceNames, rpcPortKeyOf } from '@app/registry';
import { testMongoUrl, uniqueDbName } from './support/store';

/**
 * The packaging for real deployments (docker/), validated without a Docker
 * engine or a cluster: the compose files, the Dockerfile, the Helm chart, and
 * the image's entry point run against the built dist/.
 */

/** Every process of the registry: what the packaging must run. */
const APPLICATIONS = Object.entries(REGISTRY as Registry).map(([name, spec]) => ({
  name,
  entry: join(ROOT, entryFileOf(spec)),
}));

/**
 * The SERVICE values the deployments start, read from the files themselves:
 * compose's services and the Helm chart's components (the seed job apart).
 */
function deployedServices(): string[] {
  const compose = parse(readFileSync(join(ROOT, DEPLOY_FILES.compose), 'utf8'), { merge: true }) as ComposeModel;
  const values = parse(readFileSync(join(ROOT, DEPLOY_FILES.chart, 'values.yaml'), 'utf8')) as {
    components: Record<string, unknown>;
  };
  const fromCompose = Object.values(compose.services).flatMap((service) => service.environment?.SERVICE ?? []);
  return [...new Set([...fromCompose, ...Object.keys(values.components)])].filter((service) => service !== 'seed');
}

const TOOLS_TIMEOUT_MS = 20 * 60_000;
const ENTRYPOINT = join(ROOT, 'docker', 'entrypoint.sh');

interface Container {
  args?: string[];
  env: unknown[];
  readinessProbe: { httpGet: unknown };
  livenessProbe: { httpGet: unknown };
  resources: { requests?: unknown };
  volumeMounts: unknown[];
}

interface PodSpec {
  containers: Container[];
  volumes: unknown[];
}

/** The parts of rendered Kubernetes objects these tests read. */
interface Manifest {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: { spec: PodSpec };
    containers: Container[];
    volumeClaimTemplates?: { metadata: { name: string } }[];
  };
  data?: Record<string, string>;
}

/** The parts of `docker compose config` output these tests read. */
interface ComposeService {
  image?: string;
  restart?: string;
  command?: string[];
  environment?: Record<string, string>;
  build?: { dockerfile?: string; target?: string };
  depends_on?: Record<string, { condition: string }>;
  volumes?: { type: string; source?: string; target: string }[];
}

interface ComposeModel {
  services: Record<string, ComposeService>;
}

/** hadolint is optional: used when installed, otherwise reported as skipped with the reason. */
function hadolintAvailability(): { available: boolean; reason: string } {
  const available = spawnSync('sh', ['-c', 'command -v hadolint'], { encoding: 'utf8' }).status === 0;
  return {
    available,
    reason: 'hadolint is not on PATH (not packaged by Debian; the docker build --check rules above still run)',
  };
}

/** Passes when a tool succeeded; shows its output when it did not. */
function expectSuccess(result: ToolResult): void {
  expect({ ok: result.ok, output: result.ok ? '' : result.output }).toEqual({ ok: true, output: '' });
}

function manifestsOf(rendered: string): Manifest[] {
  return parseAllDocuments(rendered)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

function find(manifests: Manifest[], kind: string, name: string): Manifest | undefined {
  return manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
}

describe('deployment packaging (docker/)', () => {
  let tools: DeployTools;
  let scratch: string;

  beforeAll(() => {
    tools = ensureDeployTools({ log: (message) => process.stderr.write(`${message}\n`) });
    scratch = mkdtempSync(join(tmpdir(), 'strangler-deploy-'));
  }, TOOLS_TIMEOUT_MS);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** A copy of the repository's docker/ folder (and what compose builds from) that a test may break. */
  function copyOfDockerFolder(): string {
    const root = mkdtempSync(join(scratch, 'copy-'));
    cpSync(join(ROOT, 'docker'), join(root, 'docker'), { recursive: true });
    mkdirSync(join(root, 'gateway'));
    return root;
  }

  describe('docker/compose.yaml', () => {
    let model: ComposeModel;

    beforeAll(() => {
      const result = composeConfig(tools, [DEPLOY_FILES.compose]);
      if (result.ok) model = parse(result.stdout) as ComposeModel;
    });

    it('is a valid Compose file (schema, interpolation, references, build paths)', () => {
      const result = composeConfig(tools, [DEPLOY_FILES.compose]);
      expectSuccess(result);
    });

    it('runs every process of the registry from the one image, with SERVICE set to its name', () => {
      const image = model.services.monolith.image;
      for (const { name } of APPLICATIONS) {
        expect({
          name,
          service: model.services[name]?.environment?.SERVICE,
          image: model.services[name]?.image,
        }).toEqual({
          name,
          service: name,
          image,
        });
        expect(model.services[name].build?.dockerfile).toBe('docker/Dockerfile');
      }
    });

    it('starts every application only once MongoDB and the broker are healthy', () => {
      for (const { name } of APPLICATIONS) {
        expect(model.services[name].depends_on).toMatchObject({
          mongo: { condition: 'service_healthy' },
          nats: { condition: 'service_healthy' },
        });
      }
      expect(model.services.gateway.depends_on?.monolith).toMatchObject({ condition: 'service_healthy' });
    });

    it('seeds the monolith database with a one-shot job and keeps data in named volumes', () => {
      expect(model.services.seed.environment?.SERVICE).toBe('seed');
      expect(model.services.seed.restart).toBe('no');
      expect(model.services.mongo.image).toMatch(/^mongo:7/);
      const dataVolume = model.services.mongo.volumes?.find((volume) => volume.target === '/data/db');
      expect(dataVolume).toMatchObject({ type: 'volume', source: 'mongo-data' });
    });

    it('runs NATS with JetStream on a named volume, the event log every application reaches at NATS_URL', () => {
      expect(model.services.nats.command).toEqual(expect.arrayContaining(['--jetstream', '--store_dir', '/data']));
      const dataVolume = model.services.nats.volumes?.find((volume) => volume.target === '/data');
      expect(dataVolume).toMatchObject({ type: 'volume', source: 'nats-data' });
      for (const name of ['monolith', 'sync']) {
        expect(model.services[name].environment?.NATS_URL).toBe('nats://nats:4222');
      }
    });

    it('with docker/compose.test.yaml, adds an e2e runner built from the test stage that waits for the stack', () => {
      const result = composeConfig(tools, [DEPLOY_FILES.compose, DEPLOY_FILES.composeTest], { profiles: ['test'] });
      expectSuccess(result);
      const e2e = (parse(result.stdout) as ComposeModel).services.e2e;
      expect(e2e.build).toMatchObject({ dockerfile: 'docker/Dockerfile', target: 'test' });
      expect(e2e.depends_on).toMatchObject({
        gateway: { condition: 'service_healthy' },
        seed: { condition: 'service_completed_successfully' },
      });
    });

    it('rejects a file with an unknown key', () => {
      const root = copyOfDockerFolder();
      const file = join(root, 'docker', 'compose.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {4}restart: (\S+)$/m, '    restartt: $1'));
      const result = composeConfig(tools, [file]);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/restartt/);
    });

    it('rejects a dependency on a service that does not exist', () => {
      const root = copyOfDockerFolder();
      const file = join(root, 'docker', 'compose.yaml');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(
          '      monolith:\n        condition: service_healthy',
          '      monolit:\n        condition: service_healthy',
        ),
      );
      const result = composeConfig(tools, [file]);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/monolit/);
    });
  });

  describe('docker/Dockerfile', () => {
    const dockerfile = readFileSync(join(ROOT, DEPLOY_FILES.dockerfile), 'utf8');

    it('passes the checks of `docker build --check`', () => {
      const result = lintDockerfile(tools, DEPLOY_FILES.dockerfile);
      expectSuccess(result);
    });

    const hadolint = hadolintAvailability();
    (hadolint.available ? it : it.skip)(
      `passes hadolint${hadolint.available ? '' : ` (skipped: ${hadolint.reason})`}`,
      () => {
        const result = run(tools.hadolint as string, [DEPLOY_FILES.dockerfile]);
        expectSuccess(result);
      },
    );

    it('copies from the build context only files that exist and that .dockerignore lets through', () => {
      const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('#'));
      const sources = [...dockerfile.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)].flatMap((match) =>
        match[1].split(/\s+/),
      );
      expect(sources.length).toBeGreaterThan(0);
      for (const source of sources.filter((source) => source !== '.')) {
        expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
        const excludedBy = ignored.find((pattern) => source === pattern || source.startsWith(`${pattern}/`));
        expect({ source, excludedBy }).toEqual({ source, excludedBy: undefined });
      }
    });

    it('ends in a runtime stage that runs as a non-root user, with a healthcheck and the entry point', () => {
      const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
      expect(runtime).toMatch(/^USER node$/m);
      expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*entrypoint\.sh", "healthcheck"\]/m);
      expect(runtime).toMatch(/^ENTRYPOINT \["\/app\/docker\/entrypoint\.sh"\]$/m);
    });

    it('a broken Dockerfile fails the checks', () => {
      const broken = join(scratch, 'Dockerfile.broken');
      writeFileSync(
        broken,
        dockerfile.replace('ENTRYPOINT ["/app/docker/entrypoint.sh"]', 'ENTRYPOINT /app/docker/entrypoint.sh'),
      );
      const result = lintDockerfile(tools, broken);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/JSONArgsRecommended/);
    });
  });

  describe('docker/helm/strangler', () => {
    const fullname = 'strangler';
    let manifests: Manifest[];

    beforeAll(() => {
      const rendered = helmTemplate(tools, DEPLOY_FILES.chart);
      manifests = rendered.ok ? manifestsOf(rendered.stdout) : [];
    });

    it.each(Object.entries(CHART_VARIANTS))('passes helm lint --strict with %s', (_variant, args) => {
      const result = helmLint(tools, DEPLOY_FILES.chart, args);
      expectSuccess(result);
    });

    it.each(Object.entries(CHART_VARIANTS))(
      'renders, with %s, manifests that kubeconform -strict accepts',
      (_variant, args) => {
        const result = validateChart(tools, DEPLOY_FILES.chart, args);
        expectSuccess(result);
        expect(result.resources).toBeGreaterThan(10);
      },
    );

    it('has a Deployment with health probes and a Service for every process of the registry', () => {
      for (const { name } of APPLICATIONS) {
        const deployment = find(manifests, 'Deployment', `${fullname}-${name}`);
        const service = find(manifests, 'Service', `${fullname}-${name}`);
        expect({ name, deployment: Boolean(deployment), service: Boolean(service) }).toEqual({
          name,
          deployment: true,
          service: true,
        });
        const [container] = deployment!.spec.template.spec.containers;
        expect(container.env).toContainEqual({ name: 'SERVICE', value: name });
        const { healthPath } = (REGISTRY as Registry)[name];
        expect(container.readinessProbe.httpGet).toEqual({ path: healthPath, port: 'http' });
        expect(container.livenessProbe.httpGet).toEqual({ path: healthPath, port: 'http' });
        expect(container.resources.requests).toBeDefined();
        expect(service!.spec.selector).toEqual(deployment!.spec.selector.matchLabels);
      }
    });

    it('mounts one routes ConfigMap read-only into the gateway, holding the repository gateway/routes.yaml by default', () => {
      const configMap = find(manifests, 'ConfigMap', `${fullname}-routes`);
      expect(parse(configMap!.data!['routes.yaml'])).toEqual(
        parse(readFileSync(join(ROOT, 'gateway', 'routes.yaml'), 'utf8')),
      );
      const gateway = find(manifests, 'Deployment', `${fullname}-gateway`)!.spec.template.spec;
      expect(gateway.volumes).toContainEqual({ name: 'routes', configMap: { name: `${fullname}-routes` } });
      const [container] = gateway.containers;
      expect(container.volumeMounts).toContainEqual({
        name: 'routes',
        mountPath: '/etc/strangler/routes',
        readOnly: true,
      });
      expect(container.env).toContainEqual({ name: 'ROUTES_FILE', value: '/etc/strangler/routes/routes.yaml' });
    });

    it('gives the gateway its admin token from a Secret', () => {
      const secret = find(manifests, 'Secret', `${fullname}-gateway-admin`);
      expect(Buffer.from(secret!.data!['admin-token'], 'base64').toString().length).toBeGreaterThanOrEqual(8);
      const [container] = find(manifests, 'Deployment', `${fullname}-gateway`)!.spec.template.spec.containers;
      expect(container.env).toContainEqual({
        name: 'GATEWAY_ADMIN_TOKEN',
        valueFrom: { secretKeyRef: { name: `${fullname}-gateway-admin`, key: 'admin-token' } },
      });
    });

    it('runs exactly one relay, replaced rather than rolled on upgrade', () => {
      const relay = find(manifests, 'Deployment', `${fullname}-sync`);
      expect(relay?.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    });

    it.each([
      ['default values', []],
      ['the redis transport', ['--set', 'transport=redis']],
    ])(
      'runs NATS with JetStream on a persistent volume and gives the monolith and the relay its URL, with %s',
      (_variant, args) => {
        const rendered = helmTemplate(tools, DEPLOY_FILES.chart, args as string[]);
        expectSuccess(rendered);
        const variant = manifestsOf(rendered.stdout);
        const nats = find(variant, 'StatefulSet', `${fullname}-nats`);
        expect(nats?.spec.template.spec.containers[0].args).toEqual(
          expect.arrayContaining(['--jetstream', '--store_dir', '/data']),
        );
        expect(nats?.spec.volumeClaimTemplates?.map((claim) => claim.metadata.name)).toEqual(['data']);
        for (const name of ['monolith', 'sync']) {
          const [container] = find(variant, 'Deployment', `${fullname}-${name}`)!.spec.template.spec.containers;
          expect(container.env).toContainEqual({ name: 'NATS_URL', value: `nats://${fullname}-nats:4222` });
        }
      },
    );

    it('has a helm test that queries the gateway', () => {
      const test = find(manifests, 'Pod', `${fullname}-gateway-test`);
      expect(test?.metadata.annotations).toMatchObject({ 'helm.sh/hook': 'test' });
      expect(test?.spec.containers[0].env).toContainEqual({
        name: 'GATEWAY_URL',
        value: `http://${fullname}-gateway:80`,
      });
    });

    it('refuses the tcp transport, which needs every service on one host', () => {
      const result = helmLint(tools, DEPLOY_FILES.chart, ['--set', 'transport=tcp']);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/transport/);
    });

    it('a chart with a misspelt field fails kubeconform', () => {
      const chart = join(copyOfDockerFolder(), DEPLOY_FILES.chart);
      const template = join(chart, 'templates', 'components.yaml');
      writeFileSync(
        template,
        readFileSync(template, 'utf8').replace('  selector:\n    matchLabels:', '  selectr:\n    matchLabels:'),
      );
      const result = validateChart(tools, chart);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/selectr/);
    });

    it('a chart with a broken template fails helm lint', () => {
      const chart = join(copyOfDockerFolder(), DEPLOY_FILES.chart);
      const template = join(chart, 'templates', 'configmap-routes.yaml');
      writeFileSync(
        template,
        readFileSync(template, 'utf8').replace(
          '{{ include "strangler.fullname" . }}-routes',
          '{{ include "strangler.fullname" . -routes',
        ),
      );
      const result = helmLint(tools, chart);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/configmap-routes\.yaml/);
    });
  });
});

describe('docker/entrypoint.sh', () => {
  const children: ChildProcess[] = [];
  const databases: string[] = [];

  beforeAll(() => {
    if (APPLICATIONS.every(({ entry }) => existsSync(entry))) return;
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  }, 5 * 60_000);

  afterAll(async () => {
    await Promise.all(children.map((child) => stopChild(child)));
    const client = await MongoClient.connect(testMongoUrl());
    await Promise.all(
      databases.map((name) =>
        client
          .db(name)
          .dropDatabase()
          .catch(() => undefined),
      ),
    );
    await client.close();
  });

  /** Environment of a process started the way the image starts it, on free ports and its own database. */
  async function processEnv(service: string): Promise<NodeJS.ProcessEnv> {
    const database = uniqueDbName(`deploy_${service}`);
    databases.push(database);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      SERVICE: service,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      MONGO_URL: testMongoUrl(),
      MONGO_DB: database,
      TRANSPORT: 'tcp',
      MONOLITH_URL: `http://127.0.0.1:${await freePort()}`,
    };
    for (const name of microserviceNames()) env[rpcPortKeyOf(name)] = String(await freePort());
    return env;
  }

  function healthcheck(env: NodeJS.ProcessEnv): number | null {
    return spawnSync('sh', [ENTRYPOINT, 'healthcheck'], { env, encoding: 'utf8' }).status;
  }

  /** Polls the image's own healthcheck until it passes; fails early if the process exits. */
  async function waitHealthy(child: ChildProcess, env: NodeJS.ProcessEnv, output: () => string): Promise<void> {
    const status = await eventually(
      () => {
        if (child.exitCode !== null) throw new Error(`${env.SERVICE} exited with ${child.exitCode}:\n${output()}`);
        return healthcheck(env);
      },
      (code) => code === 0,
      60_000,
      200,
    );
    if (status !== 0) throw new Error(`${env.SERVICE} did not become healthy:\n${output()}`);
  }

  it('starts every process of the registry in compose and in Helm', () => {
    expect(deployedServices().sort()).toEqual(APPLICATIONS.map(({ name }) => name).sort());
  });

  it.each(deployedServices())(
    'starts %s, as compose and Helm name it, from SERVICE, healthy by the image healthcheck, and stops on SIGTERM',
    async (service) => {
      const env = await processEnv(service);
      expect(healthcheck(env)).toBe(1);
      const child = spawn('sh', [ENTRYPOINT], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let output = '';
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      await waitHealthy(child, env, () => output);
      await stopChild(child);
      expect(child.signalCode ?? child.exitCode).not.toBe('SIGKILL');
    },
  );

  it('seeds the monolith database with SERVICE=seed: SEED_POSTS generated posts, imported', async () => {
    const seedDir = mkdtempSync(join(tmpdir(), 'strangler-seed-'));
    const env: NodeJS.ProcessEnv = { ...(await processEnv('seed')), SEED_POSTS: '25', TMPDIR: seedDir };
    try {
      const result = spawnSync('sh', [ENTRYPOINT], { env, encoding: 'utf8', timeout: 120_000 });
      if (result.status !== 0) throw new Error(`seed exited with ${result.status}:\n${result.stdout}${result.stderr}`);
      const client = await MongoClient.connect(testMongoUrl());
      try {
        expect(await client.db(env.MONGO_DB).collection('posts').countDocuments()).toBe(25);
      } finally {
        await client.close();
      }
    } finally {
      rmSync(seedDir, { recursive: true, force: true });
    }
  });

  it.each([
    ['unknown', 'nope'],
    ['missing', ''],
  ])('exits 64 listing the valid values when SERVICE is %s', (_case, service) => {
    const result = spawnSync('sh', [ENTRYPOINT], {
      env: { PATH: process.env.PATH, SERVICE: service },
      encoding: 'utf8',
    });
    expect(result.status).toBe(64);
    for (const { name } of APPLICATIONS) expect(result.stderr).toContain(name);
    expect(result.stderr).toContain('seed');
  });
});
