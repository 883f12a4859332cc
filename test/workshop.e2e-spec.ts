import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { eventually } from '@app/platform';
import { StepAction, actionsOf } from '../workshop/src/steps';
import { ScratchRepo, scratchRepo } from './support/scratch-repo';

/**
 * The walk-through: an attendee's path from step 01 to step 14, in a copy of
 * the working tree with a fresh data folder. For each step, its check fails
 * first; then the commands its Markdown marks run exactly as written (bash
 * step blocks in a terminal that ran the step-01 eval line; bash background
 * blocks replacing the running npm start, as Ctrl+C and the command would);
 * then its check passes (within a while: events take a moment to flow). On
 * the practice track the check first names the unwritten handler, then the
 * handler is filled from test/fixtures and the check passes.
 *
 * Differences from a real room, for a shared CI machine: npm start runs on
 * free ports (START_RANDOM_PORTS) with its own event stream and a small seed,
 * and the terminal's variables are read again after each restart.
 */

const FIXTURE = join(__dirname, 'fixtures', 'workshop', 'search-practice.service.ts.txt');
const FIRST = 1;
const LAST = 14;

interface Background {
  child: ChildProcess;
  output: string[];
}

describe('the workshop, step 01 to step 14', () => {
  let repo: ScratchRepo;
  let background: Background | undefined;
  /** What the attendee's second terminal has exported (eval "$(npm run -s workshop -- env)"). */
  let exported: Record<string, string> = {};
  const eventStream = `workshop-walkthrough-${randomUUID().slice(0, 8)}`;
  const log = (line: string) => process.stdout.write(`[workshop walk-through] ${line}\n`);

  /** The environment of a fresh terminal. */
  const terminalEnv = (): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
    for (const key of Object.keys(env)) {
      // The test run's own settings would point the attendee's commands elsewhere.
      if (
        /^(TEST_|MONGO_|GATEWAY_|MONOLITH_URL|STORE_DATA_DIR|TRANSPORT$|EVENT_STREAM$|[A-Z0-9_]+_RPC_PORT$)/.test(key)
      ) {
        delete env[key];
      }
    }
    return env;
  };

  const bash = (script: string, env: NodeJS.ProcessEnv) =>
    spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], {
      cwd: repo.dir,
      env,
      encoding: 'utf8',
      timeout: 900_000,
    });

  const check = (id: string) => {
    const result = spawnSync(process.execPath, ['dist/workshop/src/workshop.cli.js', 'check', id], {
      cwd: repo.dir,
      env: { ...terminalEnv(), ...exported },
      encoding: 'utf8',
      timeout: 300_000,
    });
    return { passed: result.status === 0, output: `${result.stdout}${result.stderr}` };
  };

  const refreshExports = () => {
    const result = bash('node dist/workshop/src/workshop.cli.js env', terminalEnv());
    exported = Object.fromEntries(
      [...result.stdout.matchAll(/^export ([A-Z0-9_]+)='([^']*)'$/gm)].map(([, key, value]) => [key, value]),
    );
  };

  const stopBackground = async () => {
    if (!background) return;
    const { child } = background;
    background = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-(child.pid as number), 'SIGINT');
    const stopped = await Promise.race([
      exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 60_000)),
    ]);
    if (!stopped) process.kill(-(child.pid as number), 'SIGKILL');
  };

  const startBackground = async (script: string) => {
    await stopBackground();
    rmSync(join(repo.dir, '.data', 'stack.json'), { force: true });
    const child = spawn('bash', ['-e', '-c', script], {
      cwd: repo.dir,
      env: { ...terminalEnv(), START_RANDOM_PORTS: '1', EVENT_STREAM: eventStream, SEED_POSTS: '200' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    background = { child, output };
    const ready = await eventually(
      () => {
        if (child.exitCode !== null) throw new Error(`"${script}" exited:\n${output.join('')}`);
        return output.join('').includes('Strangler is running at');
      },
      (up) => up,
      600_000,
      500,
    );
    if (!ready) throw new Error(`"${script}" did not come up:\n${output.join('')}`);
    refreshExports();
  };

  const act = async (id: string, action: StepAction) => {
    switch (action.kind) {
      case 'run': {
        const result = bash(action.script, { ...terminalEnv(), ...exported });
        if (result.status !== 0) {
          throw new Error(
            `step ${id}: this block failed (exit ${result.status}):\n${action.script}\n${result.stdout}${result.stderr}`,
          );
        }
        return;
      }
      case 'background':
        return startBackground(action.script);
      case 'practice': {
        // Before the attendee writes it, the check says where.
        const before = check(id);
        expect(before.passed).toBe(false);
        expect(before.output).toContain('501, the handler is not written yet');
        copyFileSync(FIXTURE, join(repo.dir, action.file));
        return;
      }
    }
  };

  beforeAll(() => {
    repo = scratchRepo('workshop');
    const built = spawnSync('npm', ['run', '-s', 'build'], { cwd: repo.dir, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`the copy did not build:\n${built.stdout}${built.stderr}`);
  }, 600_000);

  afterAll(async () => {
    await stopBackground();
    repo?.remove();
  }, 120_000);

  it('fails each check before its step and passes it after, running the commands each step marks', async () => {
    // Every step numbered 01 to 14, a lettered one inserted between two (12a) included, in the loader's order.
    const steps = readdirSync(join(repo.dir, 'workshop', 'steps'))
      .flatMap((file) => {
        const id = /^(\d{2}[a-z]?)-[a-z0-9-]+\.md$/.exec(file)?.[1];
        return id ? [{ id, file }] : [];
      })
      .filter(({ id }) => Number(id.slice(0, 2)) >= FIRST && Number(id.slice(0, 2)) <= LAST)
      .sort((a, b) => a.id.localeCompare(b.id));
    expect(steps.map(({ id }) => id).filter((id) => /^\d+$/.test(id))).toEqual(
      Array.from({ length: LAST - FIRST + 1 }, (_, n) => String(FIRST + n).padStart(2, '0')),
    );
    const started = Date.now();
    for (const { id, file } of steps) {
      const stepStarted = Date.now();
      const actions = actionsOf(readFileSync(join(repo.dir, 'workshop', 'steps', file), 'utf8'));
      expect({ id, actions: actions.length > 0 }).toEqual({ id, actions: true });

      const before = check(id);
      expect({ id, passedBeforeItsStep: before.passed }).toEqual({ id, passedBeforeItsStep: false });

      for (const action of actions) await act(id, action);

      let last = before;
      const passed = await eventually(
        () => (last = check(id)).passed,
        (ok) => ok,
        180_000,
        2000,
      );
      if (!passed) throw new Error(`step ${id}'s check did not pass after its commands:\n${last.output}`);
      log(`step ${id} done in ${Math.round((Date.now() - stepStarted) / 1000)} s`);
    }
    log(`steps ${steps[0].id}-${steps.at(-1)?.id} took ${Math.round((Date.now() - started) / 1000)} s`);

    // Starting over: without a terminal to ask, reset wants --yes; with it, the gateway goes back to the
    // monolith and the practice service is removed from the tree.
    const workshop = (...args: string[]) =>
      bash(`node dist/workshop/src/workshop.cli.js ${args.join(' ')}`, { ...terminalEnv(), ...exported });
    expect(workshop('reset')).toMatchObject({ status: 1, stdout: expect.stringContaining('pass --yes') });
    const reset = workshop('reset', '--yes');
    expect({ status: reset.status, output: `${reset.stdout}${reset.stderr}` }).toEqual({
      status: 0,
      output: expect.stringContaining('removed search-practice'),
    });
    const routes = readFileSync(join(repo.dir, 'gateway', 'routes.yaml'), 'utf8');
    expect([...routes.matchAll(/^\s+target: (\S+)/gm)].map(([, target]) => target)).not.toContain('search');
    expect(routes).not.toMatch(/^\s+target: (?!monolith)/m);
    expect(repo.status()).not.toContain('extracted/search-practice');
    expect(readFileSync(join(repo.dir, 'libs', 'registry', 'registry.json'), 'utf8')).not.toContain('search-practice');
  }, 3_600_000);
});
