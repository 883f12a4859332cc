import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';
import type { RouteChange } from './transitions';

/** routes.yaml on disk: read, edited in place (comments kept) and replaced atomically. */
export class RoutesFile {
  readonly name: string;
  readonly dir: string;

  constructor(readonly path: string) {
    this.name = basename(path);
    this.dir = dirname(path);
  }

  read(): Promise<string> {
    return readFile(this.path, 'utf8');
  }

  /** Writes beside the file and renames over it, so readers see the old or the new table, never half. */
  async write(text: string): Promise<void> {
    const temp = join(this.dir, `.${this.name}.${process.pid}.${Date.now()}.tmp`);
    try {
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /**
   * The text with each named route's target, mode, candidate and weight
   * replaced (a field the change leaves out is removed); everything else,
   * comments and settings included, stays.
   */
  static edit(text: string, changes: readonly RouteChange[]): string {
    const document = parseDocument(text);
    const routes = document.get('routes');
    if (!isSeq(routes)) throw new Error('routes.yaml has no routes list');
    for (const change of changes) {
      const index = routes.items.findIndex((item) => isMap(item) && item.get('name') === change.route);
      if (index === -1) throw new Error(`routes.yaml has no route ${change.route}`);
      document.setIn(['routes', index, 'target'], change.target);
      document.setIn(['routes', index, 'mode'], change.mode);
      for (const key of ['candidate', 'weight'] as const) {
        if (change[key] === undefined) document.deleteIn(['routes', index, key]);
        else document.setIn(['routes', index, key], change[key]);
      }
      if (change.sampleRate !== undefined) document.setIn(['routes', index, 'shadow', 'sampleRate'], change.sampleRate);
    }
    return keepLayout(text, document.toString());
  }
}

/** A line's content without the spaces just inside flow brackets, where the yaml library has a style of its own. */
const layoutFree = (line: string) => line.replace(/([[{]) +/g, '$1').replace(/ +([\]}])/g, '$1');

/**
 * `edited` with each line whose content the edit kept written as it was in
 * `original`: the yaml library pads flow lists (`[ GET ]`), and the file's
 * own layout must survive a flip and its undo.
 */
function keepLayout(original: string, edited: string): string {
  const originalLines = new Map(original.split('\n').map((line) => [layoutFree(line), line]));
  return edited
    .split('\n')
    .map((line) => originalLines.get(layoutFree(line)) ?? line)
    .join('\n');
}
