import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Stack, startStack } from '../scripts/lib/stack';
import { RECONCILE_CLI, runCli } from './support/cli';
import { eventually } from '@app/platform';

const SERVICES = ['search', 'recommendations', 'tagging', 'engagement'] as const;
const FIRST_POSTS = 300;
const SECOND_POSTS = 120;

describe('re-import with --drop', () => {
  let dataDir: string;
  let stack: Stack | undefined;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-reimport-'));
    const { seedDemoPosts } = await import('../datasets/src');
    stack = await startStack({
      dataDir,
      randomPorts: true,
      gateway: false,
      env: { LOG_LEVEL: 'warn' },
      beforeApps: async (mongoUrl) => {
        await seedDemoPosts(mongoUrl, 'reddit', FIRST_POSTS);
      },
    });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const reconcile = (service: string) => runCli(RECONCILE_CLI, [service], { MONGO_URL: (stack as Stack).store.url });
  const allReconciled = async () => {
    const runs = await Promise.all(SERVICES.map(reconcile));
    return { codes: runs.map((run) => run.code), output: runs.map((run) => run.stdout + run.stderr).join('\n') };
  };

  it('reaches every service: zero drift afterwards, with no replay', async () => {
    const before = await eventually(allReconciled, (run) => run.codes.every((code) => code === 0), 240_000);
    expect(before.codes).toEqual([0, 0, 0, 0]);

    // A different, smaller data set: most posts of the first import are gone from the monolith.
    const { generatePosts, importStream, formatDumpLine } = await import('../datasets/src');
    const { Readable } = await import('node:stream');
    const dump = [...generatePosts({ count: SECOND_POSTS, seed: 7 })].map((post) => `${formatDumpLine(post)}\n`);
    const summary = await importStream(Readable.from(dump), {
      mongoUrl: (stack as Stack).store.url,
      dbName: 'reddit',
      drop: true,
    });
    expect(summary.inserted).toBe(SECOND_POSTS);

    const after = await eventually(allReconciled, (run) => run.codes.every((code) => code === 0), 240_000);
    expect(after.codes).toEqual([0, 0, 0, 0]);
    expect(after.output).toMatch(/no drift/);
  }, 600_000);
});
