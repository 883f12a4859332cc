import { UsageError, noExtraArguments, parseCommandLine, positiveIntegerOption } from '@app/config';
import { SCENARIO_NAMES, ScenarioName, Settings, Stage, STAGES } from './result';
import { ROUTE_SERVICES } from './scenarios';

export const LOADTEST_USAGE = `usage: npm run loadtest -- [--compare | --stage <direct|before|after>[,...]] [options]

  --scenario <name>     reads | writes | mixed | flip                    (default mixed)
  --stage <list>        direct, before, after, or a comma-separated list  (default: all three)
  --compare             direct, before and after back to back, one report (the default)
  --duration <time>     measured time per stage, e.g. 20s, 1m            (default 20s)
  --warmup <time>       unmeasured load before each stage                 (default 3s)
  --connections <n>     concurrent connections, shared by the endpoints   (default 50)
  --requests <n>        at most this many requests per endpoint per stage (default 100000)
  --posts <n>           data-set size, seeded once into .data/loadtest-<store>-<n>
                        (default: what the store handles well, 10000 on MongoDB, 1000 on FerretDB)
  --route <name>        flip: the gateway route to flip                   (default search)
  --flip-every <time>   flip: time between two flips                      (default duration / 6)
  --name <name>         names the result and the report                   (default <scenario>-<time>)
  --data-dir <dir>      seeded data folder to use instead of .data/loadtest-<store>-<n>
  --results-dir <dir>   where the JSON result goes                        (default loadtest/results)
  --reports-dir <dir>   where the report goes                             (default loadtest/reports)`;

export interface LoadtestOptions extends Omit<Settings, 'posts'> {
  /** Absent: the store's default size (see settingsOf). */
  posts?: number;
  name?: string;
  dataDir?: string;
  resultsDir?: string;
  reportsDir?: string;
}

/** `20s`, `1m`, `500ms` or a bare number of seconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new UsageError(`${flag} must be a duration such as 20s, 1m or 500ms (got "${text}")`);
  const unit = { ms: 0.001, s: 1, m: 60 }[(match[2] ?? 's') as 'ms' | 's' | 'm'];
  return Number(match[1]) * unit;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function parseLoadtestArgs(argv: readonly string[]): LoadtestOptions {
  const { values: flags, positionals } = parseCommandLine(argv, {
    compare: { type: 'boolean' },
    scenario: { type: 'string' },
    stage: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    requests: { type: 'string' },
    posts: { type: 'string' },
    route: { type: 'string' },
    'flip-every': { type: 'string' },
    name: { type: 'string' },
    'data-dir': { type: 'string' },
    'results-dir': { type: 'string' },
    'reports-dir': { type: 'string' },
  });
  noExtraArguments(positionals);
  const compare = flags.compare ?? false;

  const scenario = (flags.scenario ?? 'mixed') as ScenarioName;
  if (!SCENARIO_NAMES.includes(scenario))
    throw new UsageError(`--scenario must be one of ${SCENARIO_NAMES.join(', ')} (got "${scenario}")`);
  if (compare && flags.stage !== undefined) throw new UsageError('--compare runs every stage: leave out --stage');
  const stageList = flags.stage?.split(',') ?? (scenario === 'flip' ? ['before', 'after'] : [...STAGES]);
  const stages = stageList.map((stage) => {
    if (!STAGES.includes(stage as Stage))
      throw new UsageError(`--stage must be among ${STAGES.join(', ')} (got "${stage}")`);
    return stage as Stage;
  });
  if (new Set(stages).size !== stages.length) throw new UsageError('--stage names a stage twice');
  if (scenario === 'flip' && stages.includes('direct'))
    throw new UsageError('the flip scenario flips a gateway route: it runs in the before and after stages only');

  const durationSeconds = parseDuration(flags.duration ?? '20s', '--duration');
  if (durationSeconds < 1) throw new UsageError('--duration must be at least 1s');
  const warmupSeconds = parseDuration(flags.warmup ?? '3s', '--warmup');
  const route = flags.route ?? 'search';
  if (!(route in ROUTE_SERVICES))
    throw new UsageError(`--route must be one of ${Object.keys(ROUTE_SERVICES).join(', ')} (got "${route}")`);
  if (flags.route !== undefined && scenario !== 'flip')
    throw new UsageError('--route only applies to the flip scenario');
  const everySeconds =
    flags['flip-every'] !== undefined
      ? parseDuration(flags['flip-every'], '--flip-every')
      : Math.max(1, durationSeconds / 6);
  if (everySeconds < 0.2) throw new UsageError('--flip-every must be at least 200ms');
  const name = flags.name;
  if (name !== undefined && !NAME.test(name))
    throw new UsageError('--name must be letters, digits, ., _ or - (a file name)');

  return {
    scenario,
    stages,
    durationSeconds,
    warmupSeconds,
    connections: positiveIntegerOption(flags.connections, 'connections', 50),
    maxRequests: positiveIntegerOption(flags.requests, 'requests', 100_000),
    ...(flags.posts !== undefined ? { posts: positiveIntegerOption(flags.posts, 'posts', 0) } : {}),
    ...(scenario === 'flip' ? { flip: { route, everySeconds } } : {}),
    ...(name ? { name } : {}),
    ...(flags['data-dir'] !== undefined ? { dataDir: flags['data-dir'] } : {}),
    ...(flags['results-dir'] !== undefined ? { resultsDir: flags['results-dir'] } : {}),
    ...(flags['reports-dir'] !== undefined ? { reportsDir: flags['reports-dir'] } : {}),
  };
}

/** The parts of the options a result records; `defaultPosts` (the store's default size) unless --posts was given. */
export function settingsOf(options: LoadtestOptions, defaultPosts: number): Settings {
  const { scenario, stages, durationSeconds, warmupSeconds, connections, maxRequests, flip } = options;
  const posts = options.posts ?? defaultPosts;
  return {
    scenario,
    stages,
    durationSeconds,
    warmupSeconds,
    connections,
    maxRequests,
    posts,
    ...(flip ? { flip } : {}),
  };
}
