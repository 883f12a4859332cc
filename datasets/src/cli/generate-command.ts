import { resolve } from 'node:path';
import { MAX_POSTS, writeDump, writeDumpFile } from '../generator/generate-posts';
import { USAGE_EXIT, UsageError, errorMessage, integerOption, noExtraArguments, parseCommandLine } from '@app/config';
import { CommandIo, processIo } from './io';

export const GENERATE_USAGE = `Usage: npm run generate -- [--count N] [--seed N] [--out FILE]

Writes N generated r/Python posts (1 to ${MAX_POSTS}, default 1000) in the
original dump's format, one document per line, to FILE or to stdout.
The same seed (default 42) always gives the same bytes.`;

const DEFAULT_COUNT = 1000;
const DEFAULT_SEED = 42;
const MAX_SEED = 0xffff_ffff;

function parse(argv: string[]) {
  const { values, positionals } = parseCommandLine(argv, {
    count: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean' },
  });
  noExtraArguments(positionals);
  if (values.out === '') throw new UsageError('--out needs a file name');
  return {
    help: values.help ?? false,
    count: integerOption(values.count, 'count', 1, MAX_POSTS, DEFAULT_COUNT),
    seed: integerOption(values.seed, 'seed', 0, MAX_SEED, DEFAULT_SEED),
    out: values.out,
  };
}

/** `npm run generate`: returns the exit code. */
export async function runGenerate(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: CommandIo = processIo,
): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${error.message}\n\n${GENERATE_USAGE}\n`);
    return USAGE_EXIT;
  }
  if (args.help) {
    io.stdout.write(`${GENERATE_USAGE}\n`);
    return 0;
  }
  const options = { count: args.count, seed: args.seed };
  try {
    if (args.out) {
      // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
      const out = resolve(env.INIT_CWD ?? process.cwd(), args.out);
      await writeDumpFile(options, out);
      io.stderr.write(`wrote ${args.count} posts (seed ${args.seed}) to ${out}\n`);
    } else {
      await writeDump(options, io.stdout);
    }
    return 0;
  } catch (error) {
    // A reader that stops early (`| head`) is not a failure.
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return 0;
    io.stderr.write(`generate failed: ${errorMessage(error)}\n`);
    return 1;
  }
}
