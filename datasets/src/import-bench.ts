/**
 * Measures the importer: generates a dump into a temporary folder, imports it
 * into a private store (embedded FerretDB, or MONGO_URL when set) and samples
 * this process's memory while it runs; then re-imports the first posts to
 * measure the unchanged path. Prints a Markdown report.
 *
 *   npm run -s build && node dist/datasets/src/import-bench.js [--count 100000] [--reimport 10000] [--batch-size 1000]
 */
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { USAGE_EXIT, UsageError, errorMessage, integerOption, noExtraArguments, parseCommandLine } from '@app/config';
import { formatDumpLine } from './dump-format';
import { MAX_POSTS, generatePosts, writeDumpFile } from './generator/generate-posts';
import { DEFAULT_BATCH_SIZE, importFile, importStream } from './importer/import-posts';
import { ImportSummary } from './importer/post-importer';

interface Store {
  url: string;
  kind: string;
  stop(): Promise<void>;
}

const USAGE = 'usage: node dist/datasets/src/import-bench.js [--count N] [--reimport N] [--batch-size N]';
const SEED = 42;
const SAMPLE_EVERY_MS = 50;
const MiB = 1024 * 1024;

/** The repository root, found from here whether running from src or dist. */
function repositoryRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'scripts', 'lib', 'store.js'))) return dir;
  }
  throw new Error(`no scripts/lib/store.js above ${from}`);
}

function startStore(dataDir: string): Promise<Store> {
  const store = require(join(repositoryRoot(__dirname), 'scripts', 'lib', 'store.js')) as {
    startStore(options: { dataDir: string }): Promise<Store>;
  };
  return store.startStore({ dataDir });
}

interface MemorySample {
  documents: number;
  rss: number;
  heapUsed: number;
}

/** Samples memory on a timer and at each progress report of an import. */
class MemoryProbe {
  peakRss = 0;
  peakHeap = 0;
  readonly checkpoints: MemorySample[] = [];
  private readonly timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);

  sample(documents?: number): void {
    const { rss, heapUsed } = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, rss);
    this.peakHeap = Math.max(this.peakHeap, heapUsed);
    if (documents !== undefined) this.checkpoints.push({ documents, rss, heapUsed });
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

async function timed(run: (probe: MemoryProbe) => Promise<ImportSummary>) {
  const probe = new MemoryProbe();
  const started = process.hrtime.bigint();
  try {
    const summary = await run(probe);
    return { summary, seconds: Number(process.hrtime.bigint() - started) / 1e9, probe };
  } finally {
    probe.stop();
  }
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;

/** The memory at about every tenth of the import, to show it stays flat. */
function checkpoints(samples: MemorySample[], total: number): string {
  const wanted = [0.1, 0.25, 0.5, 0.75, 1].map((share) => Math.round(share * total));
  return wanted
    .map((target) => samples.find((sample) => sample.documents >= target))
    .filter((sample, i, all): sample is MemorySample => sample !== undefined && all.indexOf(sample) === i)
    .map((sample) => `${sample.documents}: ${mib(sample.rss)} RSS / ${mib(sample.heapUsed)} heap`)
    .join('; ');
}

interface BenchOptions {
  count: number;
  reimport: number;
  batchSize: number;
}

async function bench({ count, reimport, batchSize }: BenchOptions): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'strangler-import-bench-'));
  const store = await startStore(join(dir, 'store'));
  const interrupted = () => {
    void store.stop().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    const file = join(dir, 'posts.json');
    await writeDumpFile({ count, seed: SEED }, file);
    const bytes = (await stat(file)).size;
    const options = { mongoUrl: store.url, dbName: `import_bench_${process.pid}`, batchSize };

    let nextReport = count / 10;
    global.gc?.();
    const baseline = process.memoryUsage();
    const first = await timed((probe) =>
      importFile(file, {
        ...options,
        drop: true,
        onProgress: (progress) => {
          probe.sample(progress.documents);
          if (progress.documents < nextReport) return;
          nextReport += count / 10;
          process.stderr.write(`... ${progress.documents} imported\n`);
        },
      }),
    );
    async function* firstPosts() {
      let left = reimport;
      for (const post of generatePosts({ count, seed: SEED })) {
        if (left-- === 0) return;
        yield `${formatDumpLine(post)}\n`;
      }
    }
    const again = await timed(() => importStream(firstPosts(), options));

    const rate = (summary: ImportSummary, seconds: number) => Math.round(summary.documents / seconds);
    return [
      `Import benchmark: ${count} generated posts (seed ${SEED}), ${(bytes / MiB).toFixed(1)} MiB, batches of ${batchSize}, store: ${store.kind}, node ${process.version}`,
      '',
      '| run | documents | inserted | unchanged | seconds | documents/s | peak RSS | peak heap |',
      '|---|---|---|---|---|---|---|---|',
      `| fresh import (--drop) | ${first.summary.documents} | ${first.summary.inserted} | ${first.summary.unchanged} | ${first.seconds.toFixed(1)} | ${rate(first.summary, first.seconds)} | ${mib(first.probe.peakRss)} | ${mib(first.probe.peakHeap)} |`,
      `| re-import of the first ${reimport} | ${again.summary.documents} | ${again.summary.inserted} | ${again.summary.unchanged} | ${again.seconds.toFixed(1)} | ${rate(again.summary, again.seconds)} | ${mib(again.probe.peakRss)} | ${mib(again.probe.peakHeap)} |`,
      '',
      `Before the import: ${mib(baseline.rss)} RSS / ${mib(baseline.heapUsed)} heap.`,
      `During the fresh import (documents: memory): ${checkpoints(first.probe.checkpoints, count)}.`,
      '',
    ].join('\n');
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    await store.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  let options: BenchOptions;
  try {
    const { values, positionals } = parseCommandLine(argv, {
      count: { type: 'string' },
      reimport: { type: 'string' },
      'batch-size': { type: 'string' },
    });
    noExtraArguments(positionals);
    const count = integerOption(values.count, 'count', 1, MAX_POSTS, 100_000);
    options = {
      count,
      reimport: integerOption(values.reimport, 'reimport', 1, count, Math.min(count, 10_000)),
      batchSize: integerOption(values['batch-size'], 'batch-size', 1, 10_000, DEFAULT_BATCH_SIZE),
    };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return USAGE_EXIT;
  }
  try {
    process.stdout.write(await bench(options));
    return 0;
  } catch (error) {
    process.stderr.write(`import benchmark failed: ${errorMessage(error)}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
