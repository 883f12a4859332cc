/**
 * `npm run loadtest`: brings the product up from dist/ on loopback with a
 * seeded data set, runs a scenario against one or more stages back to back,
 * and writes the JSON result and the report. See loadtest/README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDirFor, ensureSeededData, workingCopy } from './lib/dataset';
import { runCommand } from '@app/config';
import { LOADTEST_USAGE, parseLoadtestArgs, settingsOf } from './lib/options';
import { displayPath, REPORTS_DIR, RESULTS_DIR } from './lib/paths';
import { Progress } from './lib/progress';
import { comparisons } from './lib/report/compare';
import { formatRatio } from './lib/report/format';
import { writeReport } from './lib/report/write';
import { runStages, settleRelay } from './lib/run';
import { builtServices, plannedStore, Stack, startLoadtestStack } from './lib/stack';
import { generatedWorkload, workloadFingerprint } from './lib/workload';

const progress = new Progress();

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${LOADTEST_USAGE}\n`);
    return 0;
  }
  const options = parseLoadtestArgs(argv);
  const store = plannedStore();
  const settings = settingsOf(options, store.defaultPosts);
  const runId = new Date().toISOString().replace(/[:.]/g, '-');
  const name = options.name ?? `${settings.scenario}-${runId}`;
  const services = builtServices();
  progress.say(
    `loadtest: scenario ${settings.scenario}, stages ${settings.stages.join(' → ')}, ${settings.durationSeconds}s each ` +
      `(+${settings.warmupSeconds}s warm-up), ${settings.connections} connections, ${settings.posts} posts on ${store.kind}` +
      (options.posts === undefined ? ' (its default size)' : ''),
  );

  const workload = generatedWorkload(settings.posts, 1);
  progress.say(
    `[workload] ${workload.postIds.length} post ids, ${workload.terms.length} search terms and ${workload.tags.length} tags from the data set`,
  );
  const cacheDir = options.dataDir ?? cacheDirFor(settings.posts, store.kind);
  let dataNotes: string[];
  try {
    dataNotes = await ensureSeededData({
      cacheDir,
      posts: settings.posts,
      services,
      fingerprint: workloadFingerprint(workload),
      log: (line) => progress.say(`[data] ${line}`),
    });
  } catch (error) {
    progress.say(
      `loadtest: could not prepare ${settings.posts} seeded posts in ${displayPath(cacheDir)}:\n${(error as Error).message}`,
    );
    return 1;
  }
  const workDir = workingCopy(cacheDir);
  progress.say(
    `[stack] starting the store, monolith, ${services.join(', ') || 'no services'}, relay and gateway from dist/...`,
  );
  let stack: Stack;
  try {
    stack = await startLoadtestStack({
      dataDir: workDir,
      services,
      gateway: true,
      log: (line) => progress.say(`[stack] ${line}`),
    });
  } catch (error) {
    progress.say(
      `loadtest: the stack did not come up, so nothing was measured.\n${(error as Error).message}\n` +
        `Process logs: ${displayPath(join(workDir, 'logs'))}. Is dist/ current? (npm run build)`,
    );
    return 1;
  }
  const stop = () => {
    progress.say('loadtest: interrupted, stopping the stack...');
    void stack.stop().then(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  try {
    const pending = await settleRelay(stack, services, progress);
    if (pending > 0)
      progress.say(`[relay] ${pending} events still undelivered; the services may lag behind the monolith`);
    const result = await runStages(settings, { stack, services, workload, progress, dataNotes }, runId);

    const resultsDir = options.resultsDir ?? RESULTS_DIR;
    mkdirSync(resultsDir, { recursive: true });
    const resultFile = join(resultsDir, `${name}.json`);
    writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
    const report = writeReport([result], name, options.reportsDir ?? REPORTS_DIR);
    progress.say(`\nresult: ${displayPath(resultFile)}\nreport: ${displayPath(report)}`);
    for (const comparison of comparisons([result])) {
      const label = comparison.kind === 'gateway' ? 'gateway ÷ direct' : 'after ÷ before';
      progress.say(
        `${label}: throughput ${formatRatio(comparison.rps)}, stack CPU per request ${formatRatio(comparison.stackCpu.ratio)}`,
      );
    }
    for (const stage of result.stages) for (const note of stage.notes) progress.say(`note (${stage.stage}): ${note}`);
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await stack.stop();
  }
}

runCommand(LOADTEST_USAGE, main);
