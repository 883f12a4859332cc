import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding the root package.json, whether running from source or from dist/. */
export function findRepoRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
