import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import {
  defaultSeedPosts,
  describeServer,
  ensureFerretDb,
  FERRETDB_WARNING,
  resolveStore,
  startStore,
  StartedStore,
} from '../scripts/lib/store';
import { testMongoUrl } from './support/store';

/** Enough of PATH for the fakes' shell, without any real mongod or docker. */
const SYSTEM_PATH = '/usr/bin:/bin';

/** A folder put first on PATH, holding executables that stand in for mongod and docker. */
class FakeBin {
  readonly dir = mkdtempSync(join(tmpdir(), 'strangler-fake-bin-'));

  get env(): NodeJS.ProcessEnv {
    return { PATH: `${this.dir}:${SYSTEM_PATH}` };
  }

  add(name: string, script: string): void {
    const file = join(this.dir, name);
    writeFileSync(file, `#!/bin/sh\n${script}\n`);
    chmodSync(file, 0o755);
  }

  /** Every `docker` command line the code ran, in order. */
  calls(): string[] {
    const file = join(this.dir, 'calls.log');
    return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
  }

  /**
   * A docker whose engine answers: `run` serves the MongoDB wire protocol on
   * the published port with the real FerretDB binary, `stop` ends it.
   */
  addDocker(ferretdb: string): void {
    this.add(
      'docker',
      `d="${this.dir}"
echo "$*" >> "$d/calls.log"
case "$1" in
  info) echo 27.0.0; exit 0 ;;
  inspect) if [ -f "$d/running" ]; then echo true; exit 0; fi; echo "Error: No such object: $4" >&2; exit 1 ;;
  run)
    port=$(echo "$*" | sed -n 's/.*127\\.0\\.0\\.1:\\([0-9]*\\):27017.*/\\1/p')
    echo "$port" > "$d/port"
    "${ferretdb}" --listen-addr "127.0.0.1:$port" --data-dir "$d/data" --log-level error >/dev/null 2>&1 &
    echo $! > "$d/pid"; touch "$d/running"; echo 0123456789ab; exit 0 ;;
  port) echo "127.0.0.1:$(cat "$d/port")"; exit 0 ;;
  stop) kill "$(cat "$d/pid")"; rm -f "$d/running"; echo "$2"; exit 0 ;;
esac
exit 1`,
    );
  }

  remove(): void {
    const pidFile = join(this.dir, 'pid');
    if (existsSync(pidFile)) {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function ping(url: string): Promise<number> {
  const client = await MongoClient.connect(url, { serverSelectionTimeoutMS: 5000 });
  try {
    return (await client.db('admin').command({ ping: 1 })).ok as number;
  } finally {
    await client.close();
  }
}

describe('store resolution', () => {
  let bin: FakeBin;
  beforeEach(() => (bin = new FakeBin()));
  afterEach(() => bin.remove());

  const stepsOf = (env: NodeJS.ProcessEnv) => resolveStore(env).steps.map((s) => s.step);

  it('takes MONGO_URL first, even with mongod and a Docker engine at hand', () => {
    bin.add('mongod', 'exit 0');
    bin.add('docker', 'exit 0');
    const plan = resolveStore({ ...bin.env, MONGO_URL: 'mongodb://user:secret@db.example:27017/' });
    expect(plan.kind).toBe('external');
    expect(plan.steps).toEqual([{ step: 'MONGO_URL', outcome: 'set: mongodb://user:***@db.example:27017/' }]);
  });

  it('prefers a mongod on PATH to a Docker engine', () => {
    bin.add('mongod', 'exit 0');
    bin.add('docker', `echo "$*" >> "${bin.dir}/calls.log"; exit 0`);
    const plan = resolveStore(bin.env);
    expect(plan.kind).toBe('mongod');
    expect(plan.command).toBe(join(bin.dir, 'mongod'));
    expect(stepsOf(bin.env)).toEqual(['MONGO_URL', 'mongod on PATH']);
    expect(bin.calls()).toEqual([]);
  });

  it('runs MongoDB in Docker when no mongod is on PATH and `docker info` succeeds', () => {
    bin.add('docker', `echo "$*" >> "${bin.dir}/calls.log"; echo 27.3.1`);
    const plan = resolveStore(bin.env);
    expect(plan.kind).toBe('docker');
    expect(plan.steps.at(-1)).toEqual({ step: 'Docker engine', outcome: 'running (server 27.3.1)' });
    expect(bin.calls()).toEqual(['info --format {{.ServerVersion}}']);
  });

  it('falls back to the embedded FerretDB when the Docker engine does not answer, saying why', () => {
    bin.add('docker', 'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." >&2; exit 1');
    const plan = resolveStore(bin.env);
    expect(plan.kind).toBe('ferretdb');
    expect(plan.steps.map((s) => s.step)).toEqual([
      'MONGO_URL',
      'mongod on PATH',
      'Docker engine',
      'embedded FerretDB',
    ]);
    expect(plan.steps[2].outcome).toBe(
      'not answering: Cannot connect to the Docker daemon at unix:///var/run/docker.sock.',
    );
  });

  it('notes a missing docker command and moves on to FerretDB', () => {
    const plan = resolveStore(bin.env);
    expect(plan.kind).toBe('ferretdb');
    expect(plan.steps[2]).toEqual({ step: 'Docker engine', outcome: 'no docker command on PATH' });
  });
});

describe('npm run store -- info', () => {
  let bin: FakeBin;
  beforeEach(() => (bin = new FakeBin()));
  afterEach(() => bin.remove());

  const info = (env: NodeJS.ProcessEnv, command = 'info') =>
    spawnSync(process.execPath, [join(__dirname, '..', 'scripts', 'store.js'), command], {
      env,
      encoding: 'utf8',
    });

  it('says which store and which NATS it would use, with each step tried, and starts nothing', () => {
    bin.add('docker', `echo "$*" >> "${bin.dir}/calls.log"; echo 27.3.1`);
    const result = info({ ...bin.env, NATS_URL: 'nats://events.example:4222' });
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'store: MongoDB in Docker (container strangler-mongo, volume strangler-mongo-data)',
      '  MONGO_URL                not set',
      '  mongod on PATH           not found',
      '  Docker engine            running (server 27.3.1)',
      'event log (NATS JetStream): the NATS server at NATS_URL',
      '  NATS_URL                 set: nats://events.example:4222',
      '',
    ]);
    expect(bin.calls()).toEqual(['info --format {{.ServerVersion}}']);
  });

  it('refuses an unknown command with its usage', () => {
    const result = info(bin.env, 'stat');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: npm run store [-- start | info]');
  });
});

describe('startStore', () => {
  let bin: FakeBin;
  let store: StartedStore | undefined;
  let ferretdb: string;
  beforeAll(() => {
    ferretdb = ensureFerretDb() as string;
  });
  beforeEach(() => (bin = new FakeBin()));
  afterEach(async () => {
    await store?.stop();
    store = undefined;
    bin.remove();
  });

  it('runs mongo:8 in Docker on a named volume, published on loopback, and stops the container it started', async () => {
    bin.addDocker(ferretdb);
    const logged: string[] = [];
    store = await startStore({ dataDir: bin.dir, env: bin.env, log: (line) => logged.push(line) });
    expect(store.kind).toBe('docker');
    expect(store.child).toBeUndefined();
    expect(await ping(store.url)).toBe(1);
    const run = bin.calls().find((call) => call.startsWith('run '));
    const port = new URL(store.url).port;
    expect(run).toBe(
      `run -d --name strangler-mongo -v strangler-mongo-data:/data/db -p 127.0.0.1:${port}:27017 mongo:8`,
    );

    await store.stop();
    store = undefined;
    expect(bin.calls().at(-1)).toBe('stop strangler-mongo');
    expect(logged.join('\n')).not.toContain(FERRETDB_WARNING);
  });

  it('reuses a running strangler-mongo container and leaves it running on stop', async () => {
    bin.addDocker(ferretdb);
    writeFileSync(join(bin.dir, 'running'), '');
    writeFileSync(join(bin.dir, 'port'), new URL(testMongoUrl()).port);
    store = await startStore({ dataDir: bin.dir, env: bin.env });
    expect(store.url).toBe(`mongodb://127.0.0.1:${new URL(testMongoUrl()).port}/`);
    await store.stop();
    store = undefined;
    const verbs = bin.calls().map((call) => call.split(' ')[0]);
    expect(verbs).toEqual(['info', 'inspect', 'port']);
  });

  it('starts the embedded FerretDB with one warning line that it suits small data only', async () => {
    const logged: string[] = [];
    store = await startStore({ dataDir: bin.dir, env: bin.env, log: (line) => logged.push(line) });
    expect(store.kind).toBe('ferretdb');
    expect(await ping(store.url)).toBe(1);
    const warnings = logged.filter((line) => line.startsWith('warning:'));
    expect(warnings).toEqual([FERRETDB_WARNING]);
    expect(FERRETDB_WARNING).toMatch(/scans every document for any query not by _id.*small data/);
  });
});

describe('the store a server says it is', () => {
  it('names FerretDB when buildInfo carries its version, MongoDB otherwise', async () => {
    const server = await describeServer(testMongoUrl(), process.env.TEST_STORE_KIND as 'ferretdb');
    const expected = process.env.TEST_STORE_KIND === 'ferretdb' ? 'FerretDB' : 'MongoDB';
    expect(server.product).toBe(expected);
    expect(server.label).toMatch(new RegExp(`^${expected} \\d+\\.\\d+`));
  });
});

describe('default seed size', () => {
  it('is 10 000 posts on MongoDB of any kind and the original dump size on FerretDB', () => {
    expect(['external', 'mongod', 'docker'].map((kind) => defaultSeedPosts(kind as 'mongod'))).toEqual([
      10_000, 10_000, 10_000,
    ]);
    expect(defaultSeedPosts('ferretdb')).toBe(1_000);
  });
});
