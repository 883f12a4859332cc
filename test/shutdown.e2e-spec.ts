import { spawn } from 'node:child_process';
import path from 'node:path';

const PLATFORM = path.resolve(__dirname, '..', 'dist', 'libs', 'platform', 'src');

/** A process whose shutdown never finishes: it ignores the stop signal and keeps its event loop busy. */
const HANGING_PROCESS = `
const { exitWhenShutdownHangs } = require(${JSON.stringify(PLATFORM)});
exitWhenShutdownHangs({ warn: (fields, message) => process.stdout.write(JSON.stringify({ ...fields, message }) + '\\n') }, 200);
process.on('SIGTERM', () => undefined);
setInterval(() => undefined, 1000);
process.stdout.write('ready\\n');
`;

describe('a stop signal on a process whose shutdown hangs', () => {
  it('exits with status 1 once the grace period is over, saying why', async () => {
    const child = spawn(process.execPath, ['-e', HANGING_PROCESS], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let output = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('ready')) resolve();
        });
        child.once('exit', () => reject(new Error(`exited before it was ready: ${output}`)));
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(1);
      expect(output).toContain('"message":"shutdown did not finish in time; exiting"');
      expect(output).toContain('"signal":"SIGTERM"');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
