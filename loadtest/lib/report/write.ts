import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '@app/config';
import { LoadtestResult, RESULT_FORMAT } from '../result';
import { renderReport } from './markdown';

/** Reads result files; a file may hold one result or a list of them (a report's own data file). A file that is neither is a UsageError. */
export function readResults(files: readonly string[]): LoadtestResult[] {
  return files.flatMap((file) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`${file}: not a readable JSON file (${(error as Error).message})`);
    }
    const results = Array.isArray(parsed) ? parsed : [parsed];
    for (const result of results) {
      if ((result as Partial<LoadtestResult>)?.format !== RESULT_FORMAT)
        throw new UsageError(`${file}: not a load-test result (format ${RESULT_FORMAT})`);
    }
    return results as LoadtestResult[];
  });
}

/** Writes `<name>.md`, its SVG charts and `<name>.json` (the results it was drawn from) into `dir`; returns the Markdown's path. */
export function writeReport(results: readonly LoadtestResult[], name: string, dir: string): string {
  if (results.length === 0) throw new Error('no results to report on');
  mkdirSync(dir, { recursive: true });
  const { markdown, charts } = renderReport(results, name);
  for (const [file, svg] of Object.entries(charts)) writeFileSync(join(dir, file), svg);
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  const path = join(dir, `${name}.md`);
  writeFileSync(path, markdown);
  return path;
}
