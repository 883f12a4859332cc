/**
 * `npm run loadtest:report -- <result.json>... [--name <name>] [--reports-dir <dir>]`:
 * the Markdown report and its SVG charts from saved load-test results.
 */
import { basename } from 'node:path';
import { UsageError, parseCommandLine, runCommand } from '@app/config';
import { displayPath, REPORTS_DIR } from './lib/paths';
import { readResults, writeReport } from './lib/report/write';

const USAGE = `usage: npm run loadtest:report -- <result.json>... [--name <name>] [--reports-dir <dir>]

Writes <reports-dir>/<name>.md, its SVG charts and <name>.json (default dir
loadtest/reports, default name: the first file's name). Ratios are drawn only
between stages of the same run.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals: files } = parseCommandLine(argv, {
    name: { type: 'string' },
    'reports-dir': { type: 'string' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (files.length === 0) throw new UsageError('name at least one result file');
  const path = writeReport(
    readResults(files),
    values.name ?? basename(files[0], '.json'),
    values['reports-dir'] ?? REPORTS_DIR,
  );
  process.stdout.write(`report: ${displayPath(path)}\n`);
  return 0;
}

runCommand(USAGE, main);
