import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '@app/platform';

const ROOT = path.resolve(__dirname, '..');

/** `npm start`, as a user runs it. */
describe('npm start', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;
  let output = '';
  /** What the running start wrote to stack.json: its own pid and its processes'. */
  let pids: number[] = [];
  const isAlive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-start-'));
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child?.once('exit', resolve));
    }
    for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('brings the product up with demo data, answers through the gateway, and stops everything on SIGTERM', async () => {
    child = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        STORE_DATA_DIR: dataDir,
        SEED_POSTS: '300',
        START_RANDOM_PORTS: '1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const found = /Strangler is running at (http:\/\/\S+)/.exec(output);
        if (found) {
          clearInterval(timer);
          resolve(found[1]);
        } else if (child?.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`start exited early:\n${output}`));
        }
      }, 200);
    });
    expect(output).toMatch(/seeded: 300 inserted/);
    // The store and the event log it resolved, named in the banner.
    expect(output).toMatch(
      /store mongodb(\+srv)?:\/\/\S+ \((external|mongod|docker|ferretdb)\), event log nats:\/\/\S+/,
    );

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-served-by')).toBe('monolith');
    const posts = (await (await fetch(`${url}/posts?limit=2`)).json()) as { items: unknown[]; total: number };
    expect(posts.total).toBe(300);
    expect(posts.items).toHaveLength(2);
    const recommended = (await (await fetch(`${url}/recommendations`)).json()) as { items: unknown[] };
    expect(recommended.items.length).toBeGreaterThan(0);

    // No well-known token: a random one, in a file only its owner reads, and printed nowhere.
    const tokenFile = path.join(dataDir, 'gateway-admin-token');
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(tokenFile).mode & 0o077).toBe(0);
    expect(output).toContain(`The admin token is in ${tokenFile}`);
    expect(output).not.toContain(token);
    const routes = await fetch(`${url}/_gateway/routes`, { headers: { authorization: `Bearer ${token}` } });
    expect(routes.status).toBe(200);

    const stackFile = path.join(dataDir, 'stack.json');
    const stack = JSON.parse(fs.readFileSync(stackFile, 'utf8')) as {
      pid: number;
      processes: Record<string, { pid?: number }>;
    };
    pids = [stack.pid, ...Object.values(stack.processes).flatMap(({ pid }) => (pid === undefined ? [] : [pid]))];
    const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(stack.pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes('main.js'));
    const pidOf = (line: string | undefined) => Number(line?.trim().split(/\s+/)[0]);
    // Only the gateway is given the admin token.
    for (const line of children) {
      const environ = fs.readFileSync(`/proc/${pidOf(line)}/environ`, 'utf8');
      expect({ process: line, hasToken: environ.includes(token) }).toEqual({
        process: line,
        hasToken: line.includes(path.join('gateway', 'src', 'main.js')),
      });
    }

    // A child that dies is started again, and the output says so.
    const search = children.find((line) => line.includes(path.join('extracted', 'search', 'src', 'main.js')));
    process.kill(pidOf(search), 'SIGKILL');
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (/search restarted/.test(output)) {
          clearInterval(timer);
          resolve();
        } else if (child?.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`start exited:\n${output}`));
        }
      }, 200);
    });
    expect(output).toMatch(/search exited \(SIGKILL\); restarting it in 1000 ms/);

    // As a process manager stops it: the signal goes to npm, which hands it to the start script.
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    expect(output).toMatch(/stopping/);
    await eventually(
      () => pids.filter(isAlive),
      (alive) => alive.length === 0,
      30_000,
      200,
    );
    expect(pids.filter(isAlive)).toEqual([]);
    expect(fs.existsSync(stackFile)).toBe(false);
  }, 300_000);

  it('refuses a SEED_POSTS that is not a positive whole number before starting anything', () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-start-refused-'));
    const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'start.js')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, STORE_DATA_DIR: fresh, SEED_POSTS: 'lots', START_RANDOM_PORTS: '1' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SEED_POSTS must be a positive whole number (got "lots")');
    expect(fs.readdirSync(fresh)).toEqual([]);
    fs.rmSync(fresh, { recursive: true, force: true });
  });
});
