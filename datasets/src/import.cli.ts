import { runImport } from './cli/import-command';

void runImport(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
