/** A stand-in backend for the load tests, in a process of its own, and waits for processes to be ready. */
import { ChildProcess, spawn } from 'node:child_process';
import { eventually } from '@app/platform';

/** Burns the given µs of CPU per request, waits the given ms, then answers a post-sized JSON body. */
const SYNTHETIC_BACKEND = `
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const [port, workUs, delayMs] = process.argv.slice(1).map(Number);
const body = JSON.stringify({ id: 'abc', title: 'A post of a typical size', selftext: 'x'.repeat(800), score: 42 });
http.createServer((req, res) => {
  const until = performance.now() + workUs / 1000;
  while (performance.now() < until);
  req.resume();
  const answer = () => {
    res.setHeader('content-type', 'application/json');
    res.end(body);
  };
  if (delayMs > 0) setTimeout(answer, delayMs);
  else answer();
}).listen(port, '127.0.0.1', () => process.stdout.write('ready\\n'));
`;

export function started(child: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code} before it was ready`)));
    child.stdout?.once('data', () => resolve());
  });
}

export async function healthy(url: string): Promise<void> {
  const status = await eventually(
    () =>
      fetch(url).then(
        (res) => res.status,
        () => 0,
      ),
    (answer) => answer === 200,
    30_000,
    100,
  );
  if (status !== 200) throw new Error(`${url} was not healthy within 30 s`);
}

/** Starts the stand-in backend on `port`; `delayMs` makes it slow without burning CPU. */
export function spawnSyntheticBackend(port: number, workUs: number, delayMs = 0): ChildProcess {
  return spawn(process.execPath, ['-e', SYNTHETIC_BACKEND, String(port), String(workUs), String(delayMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}
