import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  GatewayClientEnv,
  adminTokenOf,
  findRepoRoot,
  loadConfig,
  noExtraArguments,
  parseCommandLine,
  runCommand,
} from '@app/config';
import { readCodeMap } from './code-map';
import { dependencyMapDot } from './dependency-map';
import { routesFromFile, routesFromGateway } from './route-map';

const ROOT = findRepoRoot(__dirname);
export const DEFAULT_DOT_FILE = join(ROOT, '.data', 'graph', 'dependency-map.dot');

const USAGE = `usage: npm run graph [-- --out <file.dot>] [-- --stdout] [-- --offline]
  Writes the dependency map (modules, controllers, repositories, collections, services, routes and
  event flows) as Graphviz DOT to ${relative(ROOT, DEFAULT_DOT_FILE)}, and as SVG beside it when Graphviz's
  \`dot\` is installed. Routes come from the running gateway (GATEWAY_URL) when it answers, else from
  gateway/routes.yaml; --offline always reads the file.`;

/** Renders `dotFile` to SVG beside it with Graphviz; false when `dot` is not installed. */
function renderSvg(dotFile: string): string | undefined {
  const svgFile = dotFile.replace(/\.dot$/, '') + '.svg';
  const result = spawnSync('dot', ['-Tsvg', dotFile, '-o', svgFile], { encoding: 'utf8' });
  if (result.error) return undefined;
  if (result.status !== 0) throw new Error(`dot failed: ${result.stderr}`);
  return svgFile;
}

/** Builds the map's DOT text from the code and the current route table. */
export async function dependencyMap(options: { offline?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const config = loadConfig(GatewayClientEnv, options.env ?? process.env);
  const live = options.offline ? undefined : await routesFromGateway(config.GATEWAY_URL, adminTokenOf(config));
  const routes = live ?? routesFromFile(join(ROOT, 'gateway', 'routes.yaml'));
  return dependencyMapDot(readCodeMap(ROOT), routes);
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    out: { type: 'string' },
    stdout: { type: 'boolean' },
    offline: { type: 'boolean' },
  });
  noExtraArguments(positionals);
  const dot = await dependencyMap({ offline: values.offline });
  if (values.stdout) {
    process.stdout.write(dot);
    return 0;
  }
  const file = resolve(values.out ?? DEFAULT_DOT_FILE);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, dot);
  process.stdout.write(`wrote ${relative(process.cwd(), file)}\n`);
  const svg = renderSvg(file);
  process.stdout.write(
    svg
      ? `wrote ${relative(process.cwd(), svg)}\n`
      : 'Graphviz `dot` is not installed: no SVG (apt-get install graphviz)\n',
  );
  return 0;
}

if (require.main === module) runCommand(USAGE, main);
