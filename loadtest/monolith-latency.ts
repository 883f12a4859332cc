/**
 * Latency of every GET endpoint of a running monolith, one request at a
 * time (no concurrency: what one user waits for on an idle system).
 *
 *   npm run loadtest:monolith -- [--url http://127.0.0.1:3001] [--requests 30]
 *
 * Ids, a tag and a search word are taken from the monolith's own answers, so
 * any data set works. Prints p50 and p99 in milliseconds per endpoint.
 */

import { commandLineOrExit, noExtraArguments, parseCommandLine, positiveIntegerOption, runCommand } from '@app/config';

const USAGE = 'usage: npm run loadtest:monolith -- [--url http://127.0.0.1:3001] [--requests 30]';

const { BASE, REQUESTS } = commandLineOrExit(USAGE, (argv) => {
  const { values, positionals } = parseCommandLine(argv, { url: { type: 'string' }, requests: { type: 'string' } });
  noExtraArguments(positionals);
  return {
    BASE: (values.url ?? 'http://127.0.0.1:3001').replace(/\/$/, ''),
    REQUESTS: positiveIntegerOption(values.requests, 'requests', 30),
  };
});

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${BASE}${path}`, { redirect: 'manual' });
  return { status: res.status, body: (await res.json()) as T };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(path: string): Promise<{ p50: number; p99: number; status: number }> {
  let status = 0;
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const started = process.hrtime.bigint();
    status = (await get(path)).status;
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), status };
}

async function main(): Promise<void> {
  const posts = await get<{ items: { id: string; title: string }[]; total: number }>('/posts?limit=3');
  if (posts.status !== 200 || posts.body.items.length === 0) throw new Error(`${BASE} has no posts to measure with`);
  const [post] = posts.body.items;
  const tags = await get<{ tag: string }[]>('/tags');
  const tag = tags.body[0]?.tag ?? 'python';
  const word = post.title.split(/[^A-Za-z0-9]+/).find((part) => part.length > 2) ?? 'python';
  const paths = [
    '/health',
    '/posts?limit=3',
    '/posts',
    '/posts?page=10&limit=25',
    `/posts/${post.id}`,
    `/posts/${post.id}/tags`,
    `/posts/${post.id}/stats`,
    `/search?q=${encodeURIComponent(word)}`,
    '/search?q=django+rest',
    '/recommendations',
    '/users/loadtest/recommendations',
    `/users/loadtest/preferences`,
    '/tags',
    `/tags/${tag}/posts`,
    '/data',
  ];
  process.stdout.write(`${BASE}: ${posts.body.total} posts, ${REQUESTS} requests per endpoint, one at a time\n`);
  process.stdout.write(
    `${'endpoint'.padEnd(40)} ${'status'.padStart(6)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)}\n`,
  );
  for (const path of paths) {
    await get(path); // the first answer may pay for warming up
    const { p50, p99, status } = await measure(path);
    process.stdout.write(
      `${path.padEnd(40)} ${String(status).padStart(6)} ${p50.toFixed(1).padStart(9)} ${p99.toFixed(1).padStart(9)}\n`,
    );
  }
}

runCommand(USAGE, main);
