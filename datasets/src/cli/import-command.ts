import { resolve } from 'node:path';
import { DEFAULT_BATCH_SIZE, importFile } from '../importer/import-posts';
import { ImportSummary } from '../importer/post-importer';
import {
  ConfigError,
  USAGE_EXIT,
  UsageError,
  errorMessage,
  integerOption,
  loadConfig,
  parseCommandLine,
} from '@app/config';
import { CommandIo, processIo } from './io';
import { ImportConfig } from './import.config';

export const IMPORT_USAGE = `Usage: npm run import -- <file> [--drop] [--batch-size N]

Imports posts into the "posts" collection of MONGO_DB (default reddit) on
MONGO_URL. The file holds one extended-JSON document per line (the dump's
format) or a JSON array. Posts are upserted on id: importing the same file
again changes nothing. Bad lines are reported and skipped.

  --drop          empty the collection first
  --batch-size N  posts written per round trip (default ${DEFAULT_BATCH_SIZE})`;

const SHOWN_REJECTS = 20;
const MAX_BATCH_SIZE = 10_000;
/** Documents between two progress lines on stderr. */
const PROGRESS_EVERY = 100_000;

function parse(argv: string[]) {
  const { values, positionals } = parseCommandLine(argv, {
    drop: { type: 'boolean' },
    'batch-size': { type: 'string' },
    help: { type: 'boolean' },
  });
  if (values.help) return { help: true as const };
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'missing the file to import' : 'give exactly one file to import');
  }
  return {
    help: false as const,
    file: positionals[0],
    drop: values.drop ?? false,
    batchSize: integerOption(values['batch-size'], 'batch-size', 1, MAX_BATCH_SIZE, DEFAULT_BATCH_SIZE),
  };
}

function counts(summary: ImportSummary): string {
  return `${summary.inserted} inserted, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.rejected} rejected`;
}

export function formatSummary(summary: ImportSummary, target: string, seconds: number): string {
  const rate = seconds > 0 ? ` (${Math.round(summary.documents / seconds)} documents/s)` : '';
  const lines = [
    `imported ${summary.documents} documents into ${target} in ${seconds.toFixed(1)} s${rate}`,
    `  inserted   ${summary.inserted}`,
    `  updated    ${summary.updated}`,
    `  unchanged  ${summary.unchanged}`,
    `  rejected   ${summary.rejected}`,
  ];
  const shown = summary.rejects.slice(0, SHOWN_REJECTS);
  if (shown.length > 0) {
    lines.push(`rejected lines${summary.rejected > shown.length ? ` (first ${shown.length})` : ''}:`);
    for (const { line, reason } of shown) lines.push(`  line ${line}: ${reason}`);
    if (summary.rejected > shown.length) lines.push(`  ... and ${summary.rejected - shown.length} more`);
  }
  return `${lines.join('\n')}\n`;
}

/** `npm run import`: returns the exit code. */
export async function runImport(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: CommandIo = processIo,
): Promise<number> {
  let args: ReturnType<typeof parse>;
  let config: ImportConfig;
  try {
    args = parse(argv);
    if (args.help) {
      io.stdout.write(`${IMPORT_USAGE}\n`);
      return 0;
    }
    config = loadConfig(ImportConfig, env);
  } catch (error) {
    if (error instanceof UsageError) io.stderr.write(`${error.message}\n\n${IMPORT_USAGE}\n`);
    else if (error instanceof ConfigError) io.stderr.write(`${error.message}\n`);
    else throw error;
    return USAGE_EXIT;
  }

  const started = process.hrtime.bigint();
  let nextProgress = PROGRESS_EVERY;
  try {
    // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
    const file = resolve(env.INIT_CWD ?? process.cwd(), args.file);
    const summary = await importFile(file, {
      mongoUrl: config.MONGO_URL,
      dbName: config.MONGO_DB,
      drop: args.drop,
      batchSize: args.batchSize,
      onProgress: (progress) => {
        if (progress.documents < nextProgress) return;
        nextProgress = progress.documents + PROGRESS_EVERY;
        io.stderr.write(`... ${progress.documents} documents: ${counts(progress)}\n`);
      },
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    io.stdout.write(formatSummary(summary, `${config.MONGO_DB}.posts`, seconds));
    return 0;
  } catch (error) {
    io.stderr.write(`import failed: ${errorMessage(error)}\n`);
    return 1;
  }
}
