import type { Writable } from 'node:stream';

/** Where a command writes; tests pass their own streams. */
export interface CommandIo {
  stdout: Writable;
  stderr: Writable;
}

export const processIo: CommandIo = { stdout: process.stdout, stderr: process.stderr };
