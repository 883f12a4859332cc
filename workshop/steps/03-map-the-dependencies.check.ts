import { spawnSync } from 'node:child_process';
import { fromDot } from 'ts-graphviz';
import { REGISTRY } from '@app/registry';
import { CheckContext, Expectation, expectation } from '../src/check-kit';
import { processNodeId, routeNodeId } from '../src/graph/dependency-map';

export const MAP_FILE = '.data/graph/dependency-map.dot';

export async function check(context: CheckContext): Promise<Expectation[]> {
  const dot = context.read(MAP_FILE);
  let ids = new Set<string>();
  let parsed = false;
  let label = '';
  try {
    if (dot !== undefined) {
      const graph = fromDot(dot);
      const collect = (g: { nodes: { id: string }[]; subgraphs: unknown[] }): string[] => [
        ...g.nodes.map((node) => node.id),
        ...(g.subgraphs as (typeof g)[]).flatMap(collect),
      ];
      ids = new Set(collect(graph as unknown as { nodes: { id: string }[]; subgraphs: unknown[] }));
      label = String(graph.get('label') ?? '');
      parsed = true;
    }
  } catch {
    parsed = false;
  }
  const routes = (await context.routes()) ?? [];
  const missing = [
    ...Object.keys(REGISTRY).filter((name) => !ids.has(processNodeId(name))),
    ...routes.filter((route) => !ids.has(routeNodeId(route.name))).map((route) => `route ${route.name}`),
  ];
  const results = [
    expectation(`${MAP_FILE} exists`, dot !== undefined, 'run npm run graph'),
    expectation('it is valid Graphviz DOT', parsed, 'run npm run graph again; do not edit the file by hand'),
    expectation(
      'it names every process of the registry and every route of the running gateway',
      parsed && routes.length > 0 && missing.length === 0,
      'run npm run graph again while npm start runs (the map is derived from the code and the routes)',
      missing.length > 0
        ? `missing: ${missing.join(', ')}`
        : routes.length === 0
          ? 'the gateway did not answer'
          : undefined,
    ),
    expectation(
      'its routes come from the running gateway, not from the file',
      /live gateway/.test(label),
      'run npm run graph while npm start runs',
      label || undefined,
    ),
  ];
  if (!spawnSync('dot', ['-V']).error) {
    results.push(
      expectation(
        `the SVG beside it (${MAP_FILE.replace(/\.dot$/, '.svg')})`,
        context.exists(MAP_FILE.replace(/\.dot$/, '.svg')),
        'run npm run graph: it renders the SVG with Graphviz',
      ),
    );
  }
  return results;
}
