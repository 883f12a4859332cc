import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './command-line';
import { StackFile, runningStackEnv, withRunningStack } from './running-stack';

describe('the running stack, for command-line tools', () => {
  let dir: string;
  const stackFile = (pid: number): StackFile => ({
    pid,
    processes: {
      gateway: { port: 41000, url: 'http://127.0.0.1:41000' },
      monolith: { port: 41001, url: 'http://127.0.0.1:41001' },
    },
    env: { MONGO_URL: 'mongodb://127.0.0.1:41002/', EVENT_STREAM: 'strangler-events-1a2b3c4d', TRANSPORT: 'nats' },
    store: 'ferretdb',
    adminTokenFile: '/somewhere/gateway-admin-token',
  });
  const write = (file: StackFile) => writeFileSync(join(dir, 'stack.json'), JSON.stringify(file));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strangler-stack-file-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('completes the environment with where a running npm start is', () => {
    write(stackFile(process.pid));
    expect(withRunningStack({ STORE_DATA_DIR: dir })).toEqual({
      STORE_DATA_DIR: dir,
      MONGO_URL: 'mongodb://127.0.0.1:41002/',
      EVENT_STREAM: 'strangler-events-1a2b3c4d',
      TRANSPORT: 'nats',
      GATEWAY_URL: 'http://127.0.0.1:41000',
      MONOLITH_URL: 'http://127.0.0.1:41001',
      GATEWAY_ADMIN_TOKEN_FILE: '/somewhere/gateway-admin-token',
    });
  });

  it('lets the variables already set win', () => {
    write(stackFile(process.pid));
    const env = withRunningStack({ STORE_DATA_DIR: dir, GATEWAY_URL: 'http://127.0.0.1:3000', TRANSPORT: 'tcp' });
    expect(env).toMatchObject({
      GATEWAY_URL: 'http://127.0.0.1:3000',
      TRANSPORT: 'tcp',
      MONGO_URL: expect.any(String),
    });
  });

  it('ignores a file left by a stack that is gone', () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    write(stackFile(gone));
    expect(withRunningStack({ STORE_DATA_DIR: dir })).toEqual({ STORE_DATA_DIR: dir });
  });

  it('says how to reach a stack when a needed variable comes from nowhere', () => {
    expect(() => runningStackEnv(['MONGO_URL'], { STORE_DATA_DIR: dir })).toThrow(
      new UsageError(
        `MONGO_URL not set, and no running npm start found (${join(dir, 'stack.json')}): start the product with npm start, or set them`,
      ),
    );
    expect(runningStackEnv(['MONGO_URL'], { STORE_DATA_DIR: dir, MONGO_URL: 'mongodb://db:27017/' })).toMatchObject({
      MONGO_URL: 'mongodb://db:27017/',
    });
  });
});
