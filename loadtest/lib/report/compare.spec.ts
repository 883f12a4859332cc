import { aCpuRow, aResult, aStage, aThreeStageRun } from '../testing/fixtures';
import { comparisons, stackCpuPerRequest, stageViews } from './compare';

describe('comparisons', () => {
  const [gateway, migration] = comparisons([aThreeStageRun()]);

  it('compares before with direct (the gateway) and after with before (the migration)', () => {
    expect([gateway.kind, gateway.base.stage, gateway.other.stage]).toEqual(['gateway', 'direct', 'before']);
    expect([migration.kind, migration.base.stage, migration.other.stage]).toEqual(['migration', 'before', 'after']);
  });

  it('divides the later stage by the earlier: throughput, percentiles, total req/s', () => {
    const search = migration.endpoints.find((e) => e.endpoint === 'GET /search');
    expect(search?.rps).toBeCloseTo(320 / 80, 10);
    expect(search?.p50).toBeCloseTo(3 / 12.5, 10);
    expect(search?.p99).toBeCloseTo(12 / 50, 10);
    expect(migration.rps).toBeCloseTo((400 + 320) / (400 + 80), 10);
    expect(gateway.rps).toBeCloseTo((400 + 80) / (500 + 100), 10);
  });

  it('reports the latency the gateway adds in milliseconds', () => {
    const posts = gateway.endpoints.find((e) => e.endpoint === 'GET /posts/:id');
    expect(posts?.p50AddedMs).toBeCloseTo(0.5, 10);
    expect(posts?.p99AddedMs).toBeCloseTo(2, 10);
  });

  it('says where each endpoint was served in both stages', () => {
    const search = migration.endpoints.find((e) => e.endpoint === 'GET /search');
    expect([search?.baseTarget, search?.otherTarget]).toEqual(['monolith', 'search']);
    expect(gateway.endpoints[0].baseTarget).toBe('monolith (direct)');
  });

  it('compares CPU per request process by process and for the whole stack without the load generator', () => {
    expect(migration.cpu.find((row) => row.process === 'store')).toEqual({
      process: 'store',
      base: 600,
      other: 200,
      ratio: 200 / 600,
    });
    expect(migration.stackCpu).toEqual({ process: 'stack total', base: 1205, other: 800, ratio: 800 / 1205 });
    expect(gateway.cpu.find((row) => row.process === 'gateway')?.ratio).toBeUndefined();
  });

  it('never compares stages of different runs', () => {
    const direct = aResult([aThreeStageRun().stages[0]], 'run-a');
    const before = aResult([aThreeStageRun().stages[1]], 'run-b');
    expect(comparisons([direct, before])).toEqual([]);
    expect(comparisons([aThreeStageRun('a'), aThreeStageRun('b')])).toHaveLength(4);
  });
});

describe('stageViews', () => {
  it('labels stages by name, adding the run number when several runs are shown', () => {
    expect(stageViews([aThreeStageRun()]).map((v) => v.label)).toEqual(['direct', 'before', 'after']);
    expect(stageViews([aThreeStageRun('a'), aThreeStageRun('b')]).map((v) => v.label)).toContain('after (run 2)');
  });
});

describe('stackCpuPerRequest', () => {
  it('has no figure for a stage that completed no request', () => {
    expect(
      stackCpuPerRequest(aStage('before', [], [{ process: 'store', pid: 1, cpuMicros: 900, cores: 1 }]).cpu),
    ).toBeUndefined();
  });

  it('adds every process but the client, counting a process that did not run as zero', () => {
    expect(
      stackCpuPerRequest(
        aStage('after', [], [aCpuRow('monolith', 300), aCpuRow('search', undefined), aCpuRow('client', 90)]).cpu,
      ),
    ).toBe(300);
  });
});
