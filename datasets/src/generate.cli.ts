import { runGenerate } from './cli/generate-command';

void runGenerate(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
