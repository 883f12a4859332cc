/**
 * `npm run loadtest:report -- <result.json>... [--name <name>] [--reports-dir <dir>]`:
 * the Markdown report and its SVG charts from saved load-test results.
 */
import { basename } from 'node:path';
import { displayPath, REPORTS_DIR } from './lib/paths';
import { readResults, writeReport } from './lib/report/write';

const USAGE = `usage: npm run loadtest:report -- <result.json>... [--name <name>] [--reports-dir <dir>]

Writes <reports-dir>/<name>.md, its SVG charts and <name>.json (default dir
loadtest/reports, default name: the first file's name). Ratios are drawn only
between stages of the same run.`;

function main(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const files: string[] = [];
  let name: string | undefined;
  let dir = REPORTS_DIR;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--name' || argv[i] === '--reports-dir') {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      if (argv[i - 1] === '--name') name = value;
      else dir = value;
    } else if (argv[i].startsWith('--')) {
      throw new Error(`unknown option ${argv[i]}`);
    } else {
      files.push(argv[i]);
    }
  }
  if (files.length === 0) throw new Error('name at least one result file');
  const path = writeReport(readResults(files), name ?? basename(files[0], '.json'), dir);
  process.stdout.write(`report: ${displayPath(path)}\n`);
  return 0;
}

try {
  process.exit(main(process.argv.slice(2)));
} catch (error) {
  process.stderr.write(`loadtest:report: ${(error as Error).message}\n\n${USAGE}\n`);
  process.exit(2);
}
