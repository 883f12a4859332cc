import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The folder holding the root package.json, whether running from source or from dist/. */
function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const ROOT = findRoot(__dirname);
/** Raw results (git-ignored). */
export const RESULTS_DIR = join(ROOT, 'loadtest', 'results');
/** Reports meant to be read and, for the example, committed. */
export const REPORTS_DIR = join(ROOT, 'loadtest', 'reports');
/** Seeded data folders, cached across runs (git-ignored). */
export const DATA_ROOT = join(ROOT, '.data');

/** A path as the terminal shows it: relative inside the working directory, absolute outside it. */
export function displayPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside && !inside.startsWith('..') ? inside : path;
}
