import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMetrics } from './check-kit';
import { ProgressFile } from './progress';
import { RunningStack } from './running-stack';

describe('workshop check kit', () => {
  it('reads Prometheus samples with their labels', () => {
    const text = [
      '# HELP gateway_requests_total Proxied requests',
      '# TYPE gateway_requests_total counter',
      'gateway_requests_total{route="search",target="monolith",status="200"} 3',
      'gateway_breaker_state{target="search"} 0',
      'process_cpu_seconds_total 1.5',
    ].join('\n');
    expect(parseMetrics(text)).toEqual([
      { name: 'gateway_requests_total', labels: { route: 'search', target: 'monolith', status: '200' }, value: 3 },
      { name: 'gateway_breaker_state', labels: { target: 'search' }, value: 0 },
      { name: 'process_cpu_seconds_total', labels: {}, value: 1.5 },
    ]);
  });

  describe('with a data folder', () => {
    let dir: string;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'workshop-data-'));
    });

    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('finds the running stack: exported variables first, then stack.json, then the default ports', () => {
      expect(new RunningStack({ STORE_DATA_DIR: dir }).gatewayUrl).toBe('http://127.0.0.1:3000');
      writeFileSync(
        join(dir, 'stack.json'),
        JSON.stringify({
          pid: 1,
          store: 'ferretdb',
          processes: {
            gateway: { port: 4000, url: 'http://127.0.0.1:4000' },
            search: { port: 4001, url: 'http://127.0.0.1:4001' },
          },
          env: { MONGO_URL: 'mongodb://127.0.0.1:1/', SEARCH_RPC_PORT: '4002' },
        }),
      );
      const stack = new RunningStack({ STORE_DATA_DIR: dir });
      expect([stack.gatewayUrl, stack.url('search'), stack.monolithUrl]).toEqual([
        'http://127.0.0.1:4000',
        'http://127.0.0.1:4001',
        'http://127.0.0.1:3001',
      ]);
      expect(stack.transportEnv).toMatchObject({ SEARCH_RPC_PORT: '4002' });
      expect(stack.exports()).toContain(`export MONGO_URL='mongodb://127.0.0.1:1/'`);
      expect(new RunningStack({ STORE_DATA_DIR: dir, GATEWAY_URL: 'http://elsewhere:1/' }).gatewayUrl).toBe(
        'http://elsewhere:1',
      );
    });

    it("keeps each step's last check in the progress file, and forgets it on clear", () => {
      const progress = new ProgressFile(dir);
      expect(progress.read()).toEqual({ steps: {} });
      progress.record('01', [{ name: 'a', pass: true, hint: '' }], new Date('2026-01-01T00:00:00Z'));
      progress.record('02', [
        { name: 'b', pass: true, hint: '' },
        { name: 'c', pass: false, hint: 'do c' },
      ]);
      expect(progress.read().steps['01']).toEqual({ done: true, checkedAt: '2026-01-01T00:00:00.000Z', failing: [] });
      expect(progress.read().steps['02']).toMatchObject({ done: false, failing: ['c'] });
      progress.clear();
      expect(progress.read()).toEqual({ steps: {} });
    });
  });
});
