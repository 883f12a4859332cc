import { SCENARIO_NAMES, ScenarioName, Settings, Stage, STAGES } from './result';
import { ROUTE_SERVICES } from './scenarios';

export class UsageError extends Error {}

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

function positiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1)
    throw new UsageError(`${flag} must be a positive whole number (got "${text}")`);
  return value;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function parseLoadtestArgs(argv: readonly string[]): LoadtestOptions {
  const values = new Map<string, string>();
  let compare = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--compare') {
      compare = true;
      continue;
    }
    if (!flag.startsWith('--')) throw new UsageError(`unexpected argument "${flag}"`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    values.set(flag, value);
    i++;
  }
  const known = [
    '--scenario',
    '--stage',
    '--duration',
    '--warmup',
    '--connections',
    '--requests',
    '--posts',
    '--route',
    '--flip-every',
    '--name',
    '--data-dir',
    '--results-dir',
    '--reports-dir',
  ];
  const unknown = [...values.keys()].find((flag) => !known.includes(flag));
  if (unknown) throw new UsageError(`unknown option ${unknown}`);

  const scenario = (values.get('--scenario') ?? 'mixed') as ScenarioName;
  if (!SCENARIO_NAMES.includes(scenario))
    throw new UsageError(`--scenario must be one of ${SCENARIO_NAMES.join(', ')} (got "${scenario}")`);
  if (compare && values.has('--stage')) throw new UsageError('--compare runs every stage: leave out --stage');
  const stageList = values.get('--stage')?.split(',') ?? (scenario === 'flip' ? ['before', 'after'] : [...STAGES]);
  const stages = stageList.map((stage) => {
    if (!STAGES.includes(stage as Stage))
      throw new UsageError(`--stage must be among ${STAGES.join(', ')} (got "${stage}")`);
    return stage as Stage;
  });
  if (new Set(stages).size !== stages.length) throw new UsageError('--stage names a stage twice');
  if (scenario === 'flip' && stages.includes('direct'))
    throw new UsageError('the flip scenario flips a gateway route: it runs in the before and after stages only');

  const durationSeconds = parseDuration(values.get('--duration') ?? '20s', '--duration');
  if (durationSeconds < 1) throw new UsageError('--duration must be at least 1s');
  const warmupSeconds = parseDuration(values.get('--warmup') ?? '3s', '--warmup');
  const route = values.get('--route') ?? 'search';
  if (!(route in ROUTE_SERVICES))
    throw new UsageError(`--route must be one of ${Object.keys(ROUTE_SERVICES).join(', ')} (got "${route}")`);
  if (values.has('--route') && scenario !== 'flip') throw new UsageError('--route only applies to the flip scenario');
  const everySeconds = values.has('--flip-every')
    ? parseDuration(values.get('--flip-every') as string, '--flip-every')
    : Math.max(1, durationSeconds / 6);
  if (everySeconds < 0.2) throw new UsageError('--flip-every must be at least 200ms');
  const name = values.get('--name');
  if (name !== undefined && !NAME.test(name))
    throw new UsageError('--name must be letters, digits, ., _ or - (a file name)');

  return {
    scenario,
    stages,
    durationSeconds,
    warmupSeconds,
    connections: positiveInteger(values.get('--connections') ?? '50', '--connections'),
    maxRequests: positiveInteger(values.get('--requests') ?? '100000', '--requests'),
    ...(values.has('--posts') ? { posts: positiveInteger(values.get('--posts') as string, '--posts') } : {}),
    ...(scenario === 'flip' ? { flip: { route, everySeconds } } : {}),
    ...(name ? { name } : {}),
    ...(values.has('--data-dir') ? { dataDir: values.get('--data-dir') } : {}),
    ...(values.has('--results-dir') ? { resultsDir: values.get('--results-dir') } : {}),
    ...(values.has('--reports-dir') ? { reportsDir: values.get('--reports-dir') } : {}),
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
