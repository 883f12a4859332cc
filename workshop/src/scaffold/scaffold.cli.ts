import { UsageError, errorMessage, findRepoRoot, noExtraArguments, parseCommandLine, runCommand } from '@app/config';
import { REGISTRY } from '@app/registry';
import { ScaffoldError, removeService, runIn, scaffoldService } from './scaffold';
import { PRACTICE_STEP_FILE } from './service-template';

const USAGE = `usage: npm run scaffold -- <name>          a new extracted service in extracted/<name>, registered everywhere
       npm run scaffold -- --remove <name> removes a scaffolded service and every mention of it
  <name>: lower-case letters and digits, words joined by hyphens (e.g. search-practice)`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { remove: { type: 'string' } });
  const context = { root: findRepoRoot(__dirname), registry: REGISTRY, run: runIn(findRepoRoot(__dirname)) };
  try {
    if (values.remove !== undefined) {
      noExtraArguments(positionals);
      removeService(values.remove, context);
      process.stdout.write(
        `removed ${values.remove}: its folder, its registry and pattern entries, and the files derived from them\n`,
      );
      return 0;
    }
    const [name] = positionals;
    if (!name) throw new UsageError('a service name is missing');
    noExtraArguments(positionals, 1);
    const files = scaffoldService(name, context);
    process.stdout.write(
      [
        `created extracted/${name} and registered it:`,
        ...files.map((file) => `  ${file}`),
        '  + nest-cli.json, docker/compose.yaml, docker/helm/strangler/values.yaml, gateway/routes.yaml (rpc target)',
        '',
        `${name} keeps its own copy of the posts from the event log; its query handler answers 501 until you write it`,
        `(extracted/${name}/src/${name}.service.ts, see ${PRACTICE_STEP_FILE}).`,
        `Restart npm start to run it; npm run scaffold -- --remove ${name} undoes all of this.`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    process.stderr.write(`scaffold: ${errorMessage(error)}\n`);
    return 1;
  }
}

if (require.main === module) runCommand(USAGE, main);
