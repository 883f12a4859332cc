import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScratchRepo, scratchRepo } from './support/scratch-repo';

/**
 * `npm run scaffold` in a copy of the working tree: the new service builds,
 * lints, type-checks with everything else and passes its own spec; bad names
 * are refused with the tree untouched; `--remove` gives the tree back as it was.
 */
describe('npm run scaffold', () => {
  let repo: ScratchRepo;
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, {
      cwd: repo.dir,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0' },
      timeout: 600_000,
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };
  const scaffold = (...args: string[]) => run('npm', ['run', '-s', 'scaffold', '--', ...args]);

  beforeAll(() => {
    repo = scratchRepo('scaffold');
  });

  afterAll(() => repo?.remove());

  it('refuses a bad name, a reserved name, a taken name and an existing folder, changing nothing', () => {
    for (const [name, message] of [
      ['Search_Practice', /not a valid service name/],
      ['-x', /unknown option/i],
      ['seed', /reserved name/],
      ['search', /already a process of the registry/],
    ] as const) {
      const result = scaffold(name);
      expect({ name, refused: result.status !== 0, output: result.output }).toEqual({
        name,
        refused: true,
        output: expect.stringMatching(message),
      });
    }
    run('mkdir', ['-p', 'extracted/taken']);
    expect(scaffold('taken')).toMatchObject({
      status: 1,
      output: expect.stringMatching(/extracted\/taken already exists/),
    });
    run('rmdir', ['extracted/taken']);
    expect(repo.status()).toBe('');
  });

  it('creates a service that is registered everywhere, builds, lints and passes its own spec; --remove undoes it', () => {
    const created = scaffold('search-practice');
    expect({ status: created.status, output: created.output }).toEqual({
      status: 0,
      output: expect.stringContaining('created extracted/search-practice'),
    });
    const changed = repo
      .status()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3))
      .sort();
    expect(changed).toEqual(
      [
        'docker/compose.yaml',
        'docker/helm/strangler/values.yaml',
        'extracted/search-practice/',
        'gateway/routes.yaml',
        'libs/contracts/src/patterns.ts',
        'libs/registry/registry.json',
        'libs/registry/src/registry.ts',
        'nest-cli.json',
      ].sort(),
    );
    const registry = JSON.parse(readFileSync(join(repo.dir, 'libs/registry/registry.json'), 'utf8')) as {
      processes: { name: string; kind: string; entry: string }[];
    };
    expect(registry.processes.find((p) => p.name === 'search-practice')).toMatchObject({
      kind: 'microservice',
      entry: 'dist/extracted/search-practice/src/main.js',
    });
    expect(readFileSync(join(repo.dir, 'dist/extracted/search-practice/src/main.js'), 'utf8')).toContain(
      'bootstrapService',
    );

    expect(run('npx', ['eslint', 'extracted/search-practice'])).toMatchObject({ status: 0 });
    const typecheck = run('npx', ['tsc', '-p', 'tsconfig.check.json']);
    expect({ status: typecheck.status, output: typecheck.output }).toEqual({ status: 0, output: '' });
    // Its own spec and the registry's, which checks every derived file against the new entry.
    const specs = run('npx', ['jest', '--ci', 'extracted/search-practice', 'test/registry.spec.ts']);
    expect({ status: specs.status, output: specs.output }).toEqual({
      status: 0,
      output: expect.stringMatching(/Tests:\s+\d+ passed, \d+ total/),
    });

    // A route that still goes to the service holds its removal back.
    const routesFile = join(repo.dir, 'gateway/routes.yaml');
    const routes = readFileSync(routesFile, 'utf8');
    writeFileSync(routesFile, routes.replace(/(- name: search\n(?:.*\n)*?\s+target: )monolith/, '$1search-practice'));
    expect(scaffold('--remove', 'search-practice')).toMatchObject({
      status: 1,
      output: expect.stringContaining('route search still sends requests to search-practice'),
    });
    writeFileSync(routesFile, routes);

    expect(scaffold('--remove', 'search')).toMatchObject({
      status: 1,
      output: expect.stringContaining('was not made by npm run scaffold'),
    });
    const removed = scaffold('--remove', 'search-practice');
    expect({ status: removed.status, output: removed.output }).toEqual({
      status: 0,
      output: expect.stringContaining('removed search-practice'),
    });
    expect(repo.status()).toBe('');
  });
});
