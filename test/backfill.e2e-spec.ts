import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { Stack, startStack } from '../scripts/lib/stack';
import { RECONCILE_CLI, SYNC_CLI, runCli } from './support/cli';
import { eventually } from '@app/platform';

const POSTS = 10_000;

describe('backfill of a new service', () => {
  let dataDir: string;
  let stack: Stack | undefined;
  let client: MongoClient;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-backfill-'));
    const { seedDemoPosts } = await import('../datasets/src');
    stack = await startStack({
      dataDir,
      randomPorts: true,
      services: ['search'],
      gateway: false,
      env: { LOG_LEVEL: 'warn', SYNC_BATCH: '1000' },
      beforeApps: async (mongoUrl) => {
        await seedDemoPosts(mongoUrl, 'reddit', POSTS);
      },
    });
    client = await MongoClient.connect(stack.store.url);
  }, 600_000);

  afterAll(async () => {
    await client?.close();
    await stack?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const reconcileSearch = () => runCli(RECONCILE_CLI, ['search'], { MONGO_URL: (stack as Stack).store.url });

  it('brings a service started on an empty database to zero drift against the existing posts', async () => {
    const result = await eventually(reconcileSearch, (run) => run.code === 0, 400_000);
    expect(result.stdout).toMatch(/no drift/);
    expect(await client.db('search').collection('posts').countDocuments({})).toBe(POSTS);
  }, 420_000);

  it('rebuilds the service from the stream with replay', async () => {
    const replay = await runCli(SYNC_CLI, ['replay', '--service', 'search'], {
      MONGO_URL: (stack as Stack).store.url,
      ...(stack as Stack).env,
    });
    expect(replay).toMatchObject({ code: 0, stdout: expect.stringMatching(/replaying from position 1/) });
    const result = await eventually(reconcileSearch, (run) => run.code === 0, 400_000);
    expect(result.stdout).toMatch(/no drift/);
    expect(await client.db('search').collection('posts').distinct('applied')).toEqual([1]);
  }, 420_000);
});
