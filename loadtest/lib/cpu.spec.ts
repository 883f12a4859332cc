import { clockTicksPerSecond, cpuMicros, cpuTicksOf } from './cpu';

describe('cpuTicksOf', () => {
  it('adds utime and stime, counting fields after the command name even when it holds spaces and parentheses', () => {
    const stat = '4242 (node (worker) 1) S 1 4242 4242 0 -1 4194560 5000 0 0 0 731 129 0 0 20 0 11 0 1234 0 0';
    expect(cpuTicksOf(stat)).toBe(731 + 129);
  });
});

describe('cpuMicros', () => {
  it('reads a live process’s CPU time from /proc, in whole clock ticks', () => {
    const before = cpuMicros(process.pid) as number;
    const until = Date.now() + 150;
    while (Date.now() < until) Math.sqrt(Math.random());
    const after = cpuMicros(process.pid) as number;
    expect(after).toBeGreaterThan(before);
    expect(after % (1e6 / clockTicksPerSecond())).toBeCloseTo(0, 6);
  });

  it('is undefined for a process that is gone', () => {
    expect(cpuMicros(2 ** 22 + 1)).toBeUndefined();
  });
});
