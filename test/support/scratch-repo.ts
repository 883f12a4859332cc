import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface ScratchRepo {
  dir: string;
  /** `git status --porcelain` of the copy: empty when the tree is as it was copied. */
  status(): string;
  remove(): void;
}

/**
 * A copy of the working tree (tracked and untracked files, not ignored ones)
 * as a git repository of its own, with node_modules and .tools linked and
 * dist/ copied (so its first build is incremental). For tests that change
 * the tree the way an attendee does, without touching the real one.
 */
export function scratchRepo(prefix: string): ScratchRepo {
  const dir = mkdtempSync(join(tmpdir(), `strangler-${prefix}-`));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file && existsSync(join(ROOT, file)));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dir, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  if (existsSync(join(ROOT, '.tools'))) symlinkSync(join(ROOT, '.tools'), join(dir, '.tools'));
  if (existsSync(join(ROOT, 'dist'))) cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], {
      cwd: dir,
      encoding: 'utf8',
    });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'the working tree, copied');
  return {
    dir,
    status: () => spawnSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' }).stdout,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
