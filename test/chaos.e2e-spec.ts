import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { Random } from '../datasets/src/generator/random';
import { Stack, StackProcessName, startStack } from '../scripts/lib/stack';
import { RECONCILE_CLI, runCli } from './support/cli';
import { eventually } from '@app/platform';

const SERVICES = ['search', 'recommendations', 'tagging', 'engagement'] as const;
/** The event log's server is a victim too: it restarts on its own data, as after a crash. */
const VICTIMS: (StackProcessName | 'nats')[] = ['sync', ...SERVICES, 'nats'];
const POSTS = 60;
const USERS = ['ann', 'bob', 'cid', 'dee'];

/** Kills at least this many times, however quickly the writes finish. */
const MIN_KILLS = 3;
/** Picks the victims and the pauses; a failing run replays with CHAOS_SEED=<the printed seed>. */
const SEED = Number(process.env.CHAOS_SEED ?? randomInt(2 ** 31));
const random = new Random(SEED);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (min: number, max: number) => min + Math.floor(random.next() * (max - min));

async function post(url: string, body: unknown): Promise<{ status: number; body: { id?: string } }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { id?: string } };
}

describe('event stream under kill -9', () => {
  let dataDir: string;
  let stack: Stack | undefined;
  let client: MongoClient;

  beforeAll(async () => {
    process.stderr.write(`chaos seed ${SEED} (replay with CHAOS_SEED=${SEED})\n`);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-chaos-'));
    stack = await startStack({
      dataDir,
      randomPorts: true,
      gateway: false,
      ownNats: true,
      env: { LOG_LEVEL: 'warn', SYNC_POLL_MS: '50' },
    });
    client = await MongoClient.connect(stack.store.url);
  }, 180_000);

  /** The last lines a stack process logged (warnings and errors: the stack runs at LOG_LEVEL=warn). */
  const logTail = (name: string) => {
    const file = path.join(dataDir, 'logs', `${name}.log`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-40).join('\n') : `no ${file}`;
  };

  afterAll(async () => {
    await client?.close();
    await stack?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`loses no event and applies none twice while the relay, every consumer and the event log's server are killed and restarted (seed ${SEED})`, async () => {
    const running = stack as Stack;
    const monolith = running.url('monolith');
    let writing = true;

    const writer = (async () => {
      for (let i = 0; i < POSTS; i++) {
        const created = await post(`${monolith}/posts`, { title: `Chaos post ${i} about asyncio`, author: 'writer' });
        expect(created.status).toBe(201);
        for (const user of USERS.slice(0, 1 + (i % USERS.length))) {
          const kind = ['likes', 'shares', 'hide'][i % 3];
          expect((await post(`${monolith}/posts/${created.body.id}/${kind}`, { user })).status).toBe(202);
        }
      }
      writing = false;
    })();

    const kills: string[] = [];
    const chaos = (async () => {
      // Every victim once, in a drawn order, then drawn ones for as long as the writes last.
      const everyOnce = [...VICTIMS].sort(() => random.next() - 0.5);
      while (writing || everyOnce.length > 0 || kills.length < MIN_KILLS) {
        const victim = everyOnce.shift() ?? VICTIMS[between(0, VICTIMS.length)];
        await pause(between(100, 700));
        kills.push(victim);
        if (victim === 'nats') {
          await running.nats.restart?.('SIGKILL');
        } else {
          running.kill(victim, 'SIGKILL');
          await pause(between(50, 400));
          await running.restart(victim);
        }
      }
    })();

    await Promise.all([writer, chaos]);

    const env = { MONGO_URL: running.store.url };
    for (const service of SERVICES) {
      const result = await eventually(
        () => runCli(RECONCILE_CLI, [service], env),
        (run) => run.code === 0,
        90_000,
      );
      // On drift, what the relay and the service logged says where the events stopped.
      const logs = result.code === 0 ? {} : { relayLog: logTail('sync'), serviceLog: logTail(service) };
      expect({ service, code: result.code, output: result.stdout, ...logs }).toEqual({
        service,
        code: 0,
        output: expect.stringMatching(/no drift/),
      });
    }

    // Every post got exactly one event (its creation), so each copy was applied exactly once.
    for (const service of ['search', 'recommendations', 'tagging'] as const) {
      const applied = await client.db(service).collection('posts').distinct('applied');
      expect({ service, applied }).toEqual({ service, applied: [1] });
    }
    const monolithEngagements = await client.db('reddit').collection('engagements').countDocuments({});
    expect(await client.db('engagement').collection('engagements').countDocuments({})).toBe(monolithEngagements);
  }, 300_000);
});
