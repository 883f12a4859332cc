import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_URL, probeJetStream, resolveNats, startNats, startOwnNats, StartedNats } from '../scripts/lib/nats';

describe('event log server resolution', () => {
  let dataDir: string;
  let ownLocal: StartedNats | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'strangler-nats-spec-'));
    // The machine's own server on 4222 when it has one; else a server of ours in its place.
    if (!(await probeJetStream(LOCAL_URL)).ok) ownLocal = await startOwnNats({ dataDir, port: 4222 });
  });

  afterAll(async () => {
    await ownLocal?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('takes NATS_URL as given, without looking further', async () => {
    const plan = await resolveNats({ NATS_URL: 'nats://user:secret@events.example:4222' });
    expect(plan).toEqual({
      kind: 'external',
      url: 'nats://user:secret@events.example:4222',
      steps: [{ step: 'NATS_URL', outcome: 'set: nats://user:***@events.example:4222' }],
    });
  });

  it('with NATS_URL unset, chooses the server on 127.0.0.1:4222 once it answers with JetStream', async () => {
    const plan = await resolveNats({});
    expect(plan.kind).toBe('local');
    expect(plan.url).toBe('nats://127.0.0.1:4222');
    expect(plan.steps).toEqual([
      { step: 'NATS_URL', outcome: 'not set' },
      { step: 'NATS on 127.0.0.1:4222', outcome: 'running with JetStream' },
    ]);
  });

  it('points at that server without running one of its own', async () => {
    const nats = await startNats({ dataDir, env: {} });
    expect(nats).toMatchObject({ url: 'nats://127.0.0.1:4222', kind: 'local' });
    expect(nats.child).toBeUndefined();
    await nats.stop();
    expect((await probeJetStream(LOCAL_URL)).ok).toBe(true);
  });
});
