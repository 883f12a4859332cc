import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { HTTP_BRIDGE, PATTERNS } from '@app/contracts';
import {
  COMPOSE_YAML,
  HELM_VALUES_YAML,
  NEST_CLI_JSON,
  REGISTRY,
  ROUTES_YAML,
  Registry,
  derivedFiles,
  microserviceNames,
  processNames,
  rpcPortKeyOf,
  ProcessName,
} from '@app/registry';
import { ServiceName, TransportEnv, servicePortOf } from '@app/transport';
import { SyncConfig } from '../extracted/sync/src/sync.config';
import { GatewayConfig } from '../gateway/src/gateway.config';
import { parseRouteTable } from '../gateway/src/routes/route-table';
import { PROCESSES, SERVICES, startOrder } from '../scripts/lib/stack';

/**
 * The service registry (libs/registry) is the one list of processes: the
 * files other tools read are generated from it, and the code that names
 * processes is checked against it here. A failure names what drifted;
 * `npm run registry` rewrites the generated files.
 */

const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** A file's meaning: JSON or YAML data; the Helm values' route table is compared as data too. */
/** A process's config class, as its folder declares it (src/<name>.config.ts), with its defaults. */
function configOf(root: string): { PORT: number; MONGO_DB?: string } {
  const files = readdirSync(join(ROOT, root, 'src')).filter((file) => file.endsWith('.config.ts'));
  expect({ root, files: files.length }).toEqual({ root, files: 1 });
  const exported = require(join(ROOT, root, 'src', files[0])) as Record<string, unknown>;
  const [configClass] = Object.entries(exported).filter(([name]) => name.endsWith('Config'));
  return new (configClass[1] as new () => { PORT: number; MONGO_DB?: string })();
}

function meaningOf(file: string, text: string): unknown {
  if (file.endsWith('.json')) return JSON.parse(text);
  const data = parse(text, { merge: true }) as Record<string, unknown>;
  if (file !== HELM_VALUES_YAML) return data;
  const gateway = data.gateway as { routes: string };
  return { ...data, gateway: { ...gateway, routes: parse(gateway.routes) } };
}

/** What an entry point run without a valid SERVICE lists as the valid values. */
function entrypointServices(entrypoint: string): string[] {
  const result = spawnSync('sh', [entrypoint], { env: { PATH: process.env.PATH, SERVICE: 'nope' }, encoding: 'utf8' });
  expect(result.status).toBe(64);
  return result.stderr
    .replace(/^.*must be one of: /s, '')
    .trim()
    .split(/\s+/);
}

describe('the service registry', () => {
  it.each(derivedFiles(read, REGISTRY).map(({ path, text }) => [path, text]))(
    '%s says what the registry says (else run `npm run registry`)',
    (path, text) => {
      expect(meaningOf(path, read(path))).toEqual(meaningOf(path, text));
    },
  );

  it("lists the image's SERVICE values: every process, and seed", () => {
    expect(entrypointServices(join(ROOT, 'docker', 'entrypoint.sh'))).toEqual([...processNames(), 'seed']);
  });

  it('gives npm start its processes, ports and databases', () => {
    expect(PROCESSES.map((p) => [p.name, p.httpPort, p.rpcPort, p.database])).toEqual(
      Object.entries(REGISTRY).map(([name, spec]) => [
        name,
        spec.httpPort,
        'rpcPort' in spec ? spec.rpcPort : undefined,
        'database' in spec ? spec.database : undefined,
      ]),
    );
    expect(SERVICES).toEqual(microserviceNames());
    expect(startOrder(PROCESSES)).toEqual([['monolith'], microserviceNames(), ['sync'], ['gateway']]);
  });

  it("matches each process's config defaults: port and database", () => {
    for (const [name, spec] of Object.entries(REGISTRY as Registry)) {
      const config = configOf(spec.root);
      expect({ name, port: config.PORT, db: config.MONGO_DB }).toEqual({
        name,
        port: spec.httpPort,
        db: spec.database,
      });
    }
  });

  it('tells the relay and the gateway where the other processes are', () => {
    const sync = new SyncConfig();
    expect(sync.SYNC_CONSUMERS.split(',')).toEqual(microserviceNames());
    // The databases reconcile compares: the monolith's and the finished services'.
    expect([sync.MONOLITH_DB, sync.SEARCH_DB, sync.RECOMMENDATIONS_DB, sync.TAGGING_DB, sync.ENGAGEMENT_DB]).toEqual(
      ['monolith', 'search', 'recommendations', 'tagging', 'engagement'].map(
        (name) => (REGISTRY as Registry)[name as ProcessName].database,
      ),
    );
    expect(new GatewayConfig().MONOLITH_URL).toBe(`http://127.0.0.1:${REGISTRY.monolith.httpPort}`);
  });

  it("gives each microservice its tcp port variable, with the registry's port as default", () => {
    const env = new TransportEnv();
    for (const name of microserviceNames() as ServiceName[]) {
      expect({ name, port: servicePortOf(name, env) }).toEqual({ name, port: (REGISTRY as Registry)[name].rpcPort });
      const moved = Object.assign(new TransportEnv(), { [rpcPortKeyOf(name)]: '4999' });
      expect({ name, port: servicePortOf(name, moved) }).toEqual({ name, port: 4999 });
    }
    expect(() => servicePortOf('search', Object.assign(new TransportEnv(), { SEARCH_RPC_PORT: 'x' }))).toThrow(
      'SEARCH_RPC_PORT',
    );
  });

  it("names each microservice's message patterns with its prefix", () => {
    expect(Object.keys(PATTERNS)).toEqual(microserviceNames());
    for (const [service, patterns] of Object.entries(PATTERNS)) {
      const prefix = (REGISTRY as Registry)[service].patternPrefix as string;
      for (const pattern of Object.values(patterns))
        expect({ service, pattern }).toEqual({
          service,
          pattern: expect.stringMatching(new RegExp(`^${prefix.replace('.', '\\.')}`)),
        });
    }
  });

  it('bridges HTTP only to microservices, with their patterns', () => {
    for (const entry of HTTP_BRIDGE) {
      const spec = (REGISTRY as Registry)[entry.service];
      expect({
        path: entry.path,
        kind: spec?.kind,
        pattern: entry.pattern.startsWith(spec?.patternPrefix ?? '?'),
      }).toEqual({ path: entry.path, kind: 'microservice', pattern: true });
    }
  });

  describe('a new entry', () => {
    const withAudit: Registry = {
      ...REGISTRY,
      audit: {
        kind: 'microservice',
        root: 'extracted/audit',
        httpPort: 3199,
        healthPath: '/health',
        rpcPort: 4199,
        database: 'audit',
        patternPrefix: 'audit.',
      },
    };
    const files = Object.fromEntries(derivedFiles(read, withAudit).map(({ path, text }) => [path, text]));
    let scratch: string;

    beforeAll(() => {
      scratch = mkdtempSync(join(tmpdir(), 'strangler-registry-'));
    });

    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it('is all it takes to join npm start', () => {
      const processes = JSON.parse(files['libs/registry/registry.json']).processes;
      expect(startOrder(processes)[1]).toEqual([...microserviceNames(), 'audit']);
      expect(processes.at(-1)).toMatchObject({ name: 'audit', entry: 'dist/extracted/audit/src/main.js' });
    });

    it('is all it takes to become a Nest project and a SERVICE of the image', () => {
      expect(JSON.parse(files[NEST_CLI_JSON]).projects.audit).toEqual({
        type: 'application',
        root: 'extracted/audit',
        entryFile: 'main',
        sourceRoot: 'extracted/audit/src',
      });
      mkdirSync(join(scratch, 'docker'));
      cpSync(join(ROOT, 'docker', 'entrypoint.sh'), join(scratch, 'docker', 'entrypoint.sh'));
      writeFileSync(join(scratch, 'nest-cli.json'), files[NEST_CLI_JSON]);
      expect(entrypointServices(join(scratch, 'docker', 'entrypoint.sh'))).toEqual([
        ...processNames(),
        'audit',
        'seed',
      ]);
    });

    it('is all it takes to run in compose, from the shared image and environment', () => {
      const compose = meaningOf(COMPOSE_YAML, files[COMPOSE_YAML]) as {
        services: Record<string, { image: string; environment: Record<string, string> }>;
      };
      expect(compose.services.audit).toMatchObject({
        image: compose.services.search.image,
        environment: { ...compose.services.search.environment, SERVICE: 'audit' },
      });
    });

    it('is all it takes to get a Helm component and an rpc target of the gateway', () => {
      const values = meaningOf(HELM_VALUES_YAML, files[HELM_VALUES_YAML]) as {
        components: Record<string, unknown>;
        gateway: { routes: { targets: Record<string, unknown> } };
      };
      expect(values.components.audit).toEqual({ replicas: 1 });
      expect(values.gateway.routes.targets.audit).toEqual({ type: 'rpc' });
      const table = parseRouteTable(
        files[ROUTES_YAML],
        { MONOLITH_URL: 'http://127.0.0.1:1' },
        microserviceNames(withAudit),
      );
      expect(table.targets.get('audit')).toEqual({ name: 'audit', type: 'rpc' });
    });

    it('leaves every file as it is once it is removed again', () => {
      const removed = derivedFiles((file) => files[file] ?? read(file), REGISTRY);
      for (const { path, text } of removed)
        expect({ path, meaning: meaningOf(path, text) }).toEqual({ path, meaning: meaningOf(path, read(path)) });
    });
  });
});
