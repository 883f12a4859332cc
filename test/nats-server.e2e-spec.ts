import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, StringCodec } from 'nats';
import { eventually } from '@app/platform';
import { ensureNatsServer, NATS_BIN, probeJetStream, startOwnNats } from '../scripts/lib/nats';
import { freePort, stopChild } from '../scripts/lib/store';

/** nats-server built from .tools/ (the first run builds it with Go: slow). */
describe('nats-server from .tools/', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'strangler-nats-server-'));
    expect(ensureNatsServer()).toBe(NATS_BIN);
  }, 600_000);

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs with JetStream on a free loopback port, its data under <dataDir>/nats, and keeps it across a SIGKILL', async () => {
    const nats = await startOwnNats({ dataDir });
    try {
      expect(nats.kind).toBe('built');
      expect(nats.url).toBe(`nats://127.0.0.1:${nats.port}`);
      expect(existsSync(join(dataDir, 'nats', 'jetstream'))).toBe(true);
      const sc = StringCodec();
      const publish = async () => {
        const nc = await connect({ servers: nats.url });
        const jsm = await nc.jetstreamManager();
        await jsm.streams.add({ name: 'CHECK', subjects: ['check.>'] });
        await nc.jetstream().publish('check.one', sc.encode('kept'), { msgID: 'one' });
        await nc.close();
      };
      await publish();
      const firstPid = nats.child?.pid;

      await nats.restart('SIGKILL');
      expect(nats.child?.pid).not.toBe(firstPid);
      const nc = await connect({ servers: nats.url });
      const stream = await (await nc.jetstreamManager()).streams.get('CHECK');
      const message = await stream.getMessage({ seq: 1 });
      expect(sc.decode(message.data)).toBe('kept');
      await nc.close();
    } finally {
      await nats.stop();
    }
    expect((await probeJetStream(nats.url, 500)).ok).toBe(false);
  });

  it('a server without JetStream counts as absent', async () => {
    const port = await freePort();
    const child = spawn(NATS_BIN, ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    try {
      const probe = await eventually(
        () => probeJetStream(`nats://127.0.0.1:${port}`),
        (answer) => answer.ok || !answer.reason.startsWith('no server'),
        60_000,
        100,
      );
      expect(probe.ok).toBe(false);
      expect(!probe.ok && probe.reason).toMatch(/^JetStream is off/);
    } finally {
      await stopChild(child);
    }
  });
});
