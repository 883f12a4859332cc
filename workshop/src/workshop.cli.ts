import { readFileSync, readdirSync, watch, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parse } from 'yaml';
import { UsageError, dataDir, noExtraArguments, parseCommandLine, runCommand } from '@app/config';
import { REGISTRY } from '@app/registry';
import { CheckContext, Expectation } from './check-kit';
import { doctor } from './doctor';
import { ProgressFile } from './progress';
import { ROOT, RunningStack } from './running-stack';
import { SCAFFOLD_MARK, ScaffoldError, removeService, runIn } from './scaffold/scaffold';
import { Step, findStep, loadSteps } from './steps';

const USAGE = `usage: npm run workshop -- <verb>
  list              the steps, in order, with their time and whether they are done
  status [--json]   every step done or not (--json: for the trainer's dashboard)
  check <NN>        checks step NN against the running system and the working tree;
                    exits 0 only when the step is done
  hint <NN>         what to try when step NN does not pass
  watch             checks the current step again whenever a file changes
  reset [--yes]     every route back to the monolith, your scaffolded services removed,
                    progress forgotten (asks first; --yes for scripts)
  doctor            what the machine needs: Node, the store, the event log, brokers, ports
  env               export lines for the running system's addresses: eval "$(npm run -s workshop -- env)"
  kill <process>    stops one process of npm start with SIGKILL (step 11's drill); npm start restarts it`;

const out = (line = '') => process.stdout.write(`${line}\n`);

function printExpectations(expectations: readonly Expectation[]): void {
  for (const e of expectations) {
    out(`  ${e.pass ? 'PASS' : 'FAIL'}  ${e.name}`);
    if (!e.pass) {
      if (e.detail) out(`        found: ${e.detail}`);
      out(`        next:  ${e.hint}`);
    }
  }
}

async function runCheck(step: Step, context: CheckContext): Promise<Expectation[]> {
  try {
    return await step.check(context);
  } catch (error) {
    return [
      {
        name: `step ${step.id}'s check ran`,
        pass: false,
        detail: (error as Error).message,
        hint: 'is npm start running, and dist/ current (npm run build)?',
      },
    ];
  }
}

function progressFile(): ProgressFile {
  return new ProgressFile(dataDir());
}

/** The first step not done yet, else the last. */
function currentStep(steps: readonly Step[]): Step {
  const progress = progressFile().read();
  return steps.find((step) => !progress.steps[step.id]?.done) ?? steps[steps.length - 1];
}

async function check(steps: readonly Step[], id: string): Promise<number> {
  const step = findStep(steps, id);
  if (!step) throw new UsageError(`there is no step ${id}; npm run workshop -- list shows them`);
  out(`step ${step.id}: ${step.title}`);
  const expectations = await runCheck(step, new CheckContext());
  printExpectations(expectations);
  const { done } = progressFile().record(step.id, expectations);
  const next = steps[steps.indexOf(step) + 1];
  out(
    done
      ? `step ${step.id} is done.${next ? ` Next: ${next.file}` : ' That was the last step.'}`
      : `step ${step.id} is not done yet.`,
  );
  return done ? 0 : 1;
}

function attendee(): string {
  if (process.env.WORKSHOP_NAME) return process.env.WORKSHOP_NAME;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

function status(steps: readonly Step[], json: boolean): number {
  const progress = progressFile().read();
  const current = currentStep(steps);
  if (json) {
    const report = {
      attendee: attendee(),
      host: hostname(),
      at: new Date().toISOString(),
      current: current.id,
      done: steps.filter((step) => progress.steps[step.id]?.done).length,
      total: steps.length,
      steps: steps.map((step) => ({
        id: step.id,
        title: step.title,
        done: progress.steps[step.id]?.done ?? false,
        checkedAt: progress.steps[step.id]?.checkedAt ?? null,
        failing: progress.steps[step.id]?.failing ?? [],
      })),
    };
    out(JSON.stringify(report, null, 2));
    return 0;
  }
  for (const step of steps) {
    const entry = progress.steps[step.id];
    const mark = entry?.done ? 'done' : entry ? 'open' : '    ';
    out(`${mark}  ${step.id}  ${step.title}${step.id === current.id && !entry?.done ? '   <- you are here' : ''}`);
    if (entry && !entry.done) out(`            failing: ${entry.failing.join('; ')}`);
  }
  return 0;
}

/** Re-checks the current step whenever a file of the repository changes (routes.yaml included). */
async function watchSteps(steps: readonly Step[]): Promise<number> {
  const ignored = /^(?:node_modules|dist|\.git|\.tools|coverage)(?:\/|$)|^\.data\/(?!graph\/)/;
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    do {
      again = false;
      const step = currentStep(steps);
      out(`\n[${new Date().toLocaleTimeString()}] step ${step.id}: ${step.title}`);
      const expectations = await runCheck(step, new CheckContext());
      printExpectations(expectations);
      if (progressFile().record(step.id, expectations).done) {
        const next = steps[steps.indexOf(step) + 1];
        out(next ? `step ${step.id} is done. Next: ${next.file}` : 'every step is done. Well done!');
        if (next) again = true;
      }
    } while (again);
    running = false;
  };
  let timer: NodeJS.Timeout | undefined;
  watch(ROOT, { recursive: true }, (_event, file) => {
    if (!file || ignored.test(file.split('\\').join('/'))) return;
    clearTimeout(timer);
    timer = setTimeout(() => void run(), 400);
  });
  out('watching the repository; Ctrl+C to stop');
  await run();
  return new Promise<number>(() => undefined);
}

/** The services made by `npm run scaffold` (their main.ts carries its mark). */
function scaffoldedServices(): string[] {
  return readdirSync(join(ROOT, 'extracted')).filter((name) => {
    try {
      return readFileSync(join(ROOT, 'extracted', name, 'src', 'main.ts'), 'utf8').startsWith(SCAFFOLD_MARK);
    } catch {
      return false;
    }
  });
}

async function confirmed(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}

/** Every route back to the default target: through the gateway when it runs, else in routes.yaml. */
async function routesToMonolith(stack: RunningStack): Promise<string> {
  const token = stack.adminToken;
  const answer = await fetch(`${stack.gatewayUrl}/_gateway/routes/reset`, {
    method: 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'x-admin-user': 'workshop' },
  }).catch(() => undefined);
  if (answer?.ok) return 'the gateway sent every route back to the monolith';
  const file = join(ROOT, 'gateway', 'routes.yaml');
  const text = readFileSync(file, 'utf8');
  const table = parse(text) as { default: string; routes: { target: string }[] };
  if (table.routes.every((route) => route.target === table.default)) return 'every route already goes to the monolith';
  // The gateway is down: the file is the table it loads on start. Only targets change.
  writeFileSync(file, text.replace(/^(\s+target:\s*)\S+[ \t]*$/gm, `$1${table.default}`));
  return `routes.yaml: every route's target set to ${table.default}`;
}

async function reset(yes: boolean): Promise<number> {
  const services = scaffoldedServices();
  const plan = [
    'send every route of the gateway back to the monolith',
    services.length > 0
      ? `remove your scaffolded services: ${services.join(', ')}`
      : 'remove no service (none scaffolded)',
    `forget your progress (${relative(process.cwd(), progressFile().path)})`,
  ];
  out(`reset will:\n${plan.map((line) => `  - ${line}`).join('\n')}`);
  if (!yes && !(await confirmed('Go ahead?'))) {
    out(process.stdin.isTTY ? 'nothing changed' : 'nothing changed: pass --yes to reset without a question');
    return 1;
  }
  const stack = new RunningStack();
  out(await routesToMonolith(stack));
  const context = { root: ROOT, registry: REGISTRY, run: runIn(ROOT) };
  for (const name of services) {
    try {
      removeService(name, context);
      out(`removed ${name}`);
    } catch (error) {
      if (!(error instanceof ScaffoldError)) throw error;
      out(`could not remove ${name}: ${error.message}`);
      return 1;
    }
  }
  progressFile().clear();
  out(services.length > 0 ? 'done; restart npm start so that it stops running the removed services' : 'done');
  return 0;
}

/** SIGKILL to one process of the running npm start, found by the id it recorded and confirmed by its command line. */
function kill(name: string): number {
  const stack = new RunningStack();
  const entry = stack.file?.processes[name];
  if (!stack.file || !entry?.pid) {
    out(
      stack.file
        ? `npm start runs no process named ${name}`
        : 'npm start is not running (no stack.json in the data folder)',
    );
    return 1;
  }
  const spec = (REGISTRY as Record<string, { root: string }>)[name];
  let commandLine = '';
  try {
    commandLine = readFileSync(`/proc/${entry.pid}/cmdline`, 'utf8');
  } catch {
    // Not on Linux, or the process is gone: the signal below says which.
  }
  if (commandLine && spec && !commandLine.includes(`${spec.root}/src/main.js`)) {
    out(`process ${entry.pid} is no longer ${name}; run npm start again`);
    return 1;
  }
  try {
    process.kill(entry.pid, 'SIGKILL');
  } catch (error) {
    out(`could not stop ${name} (${entry.pid}): ${(error as Error).message}`);
    return 1;
  }
  out(`killed ${name} (pid ${entry.pid}); npm start restarts it in a second or two`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { json: { type: 'boolean' }, yes: { type: 'boolean' } });
  const [verb, argument] = positionals;
  const steps = verb === 'doctor' || verb === 'env' || verb === 'kill' ? [] : loadSteps();
  switch (verb) {
    case 'list':
      noExtraArguments(positionals, 1);
      for (const step of steps) out(`${step.id}  ${step.title}  (${step.time})  ${step.file}`);
      return 0;
    case 'status':
      noExtraArguments(positionals, 1);
      return status(steps, values.json ?? false);
    case 'check':
      noExtraArguments(positionals, 2);
      if (!argument) throw new UsageError('check needs a step number, e.g. check 06');
      return check(steps, argument);
    case 'hint': {
      noExtraArguments(positionals, 2);
      const step = argument ? findStep(steps, argument) : currentStep(steps);
      if (!step) throw new UsageError(`there is no step ${argument}`);
      out(
        `step ${step.id}: ${step.title} (${step.file})\n\n${step.hints || 'This step has no hints: read it again from the top.'}`,
      );
      return 0;
    }
    case 'watch':
      noExtraArguments(positionals, 1);
      return watchSteps(steps);
    case 'reset':
      noExtraArguments(positionals, 1);
      return reset(values.yes ?? false);
    case 'doctor': {
      noExtraArguments(positionals, 1);
      const results = await doctor();
      printExpectations(results);
      // Brokers serve step 12 only: the machine is ready without them.
      const blocking = results.filter((e) => !e.pass && !/broker/.test(e.name));
      out(blocking.length === 0 ? 'ready for the workshop' : `${blocking.length} thing(s) to fix first`);
      return blocking.length === 0 ? 0 : 1;
    }
    case 'env':
      noExtraArguments(positionals, 1);
      new RunningStack().exports().forEach((line) => out(line));
      return 0;
    case 'kill':
      noExtraArguments(positionals, 2);
      if (!argument) throw new UsageError('kill needs a process name, e.g. kill search');
      return kill(argument);
    default:
      throw new UsageError(verb ? `unknown verb ${verb}` : 'a verb is missing');
  }
}

if (require.main === module) runCommand(USAGE, main);
