import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** The kernel's clock ticks per second (`getconf CLK_TCK`), the unit of utime/stime in /proc. */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime from a /proc/<pid>/stat line, in clock ticks. */
export function cpuTicksOf(stat: string): number {
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU time a process has used so far, in microseconds; undefined once it has gone. */
export function cpuMicros(pid: number): number | undefined {
  try {
    return (cpuTicksOf(readFileSync(`/proc/${pid}/stat`, 'utf8')) / clockTicksPerSecond()) * 1e6;
  } catch {
    return undefined;
  }
}
