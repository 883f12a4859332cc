import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { NodeModel, RootGraphModel, fromDot } from 'ts-graphviz';
import { REGISTRY } from '@app/registry';
import { readCodeMap } from './code-map';
import { collectionNodeId, dependencyMapDot, processNodeId, routeNodeId } from './dependency-map';
import { RouteSource, routesFromFile, routesFromGateway } from './route-map';

const ROOT = join(__dirname, '..', '..', '..');
const ROUTES_FILE = join(ROOT, 'gateway', 'routes.yaml');

/** Every `*_COLLECTION = '<name>'` constant of the processes and libs: what the map must name, found without it. */
function declaredCollections(): string[] {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        for (const [, name] of readFileSync(path, 'utf8').matchAll(/_COLLECTION = '([^']+)'/g)) names.add(name);
      }
    }
  };
  for (const folder of ['monolith', 'extracted', 'libs']) walk(join(ROOT, folder));
  return [...names].sort();
}

function nodesOf(graph: RootGraphModel): NodeModel[] {
  const subgraphs = (g: RootGraphModel | ReturnType<RootGraphModel['createSubgraph']>): NodeModel[] => [
    ...g.nodes,
    ...g.subgraphs.flatMap((s) => subgraphs(s)),
  ];
  return subgraphs(graph);
}

function edgesOf(graph: RootGraphModel): [string, string][] {
  return graph.edges.map((edge) => {
    const [from, to] = edge.targets as { id: string }[];
    return [from.id, to.id];
  });
}

describe('npm run graph: the dependency map', () => {
  const code = readCodeMap(ROOT);
  const fileRoutes = routesFromFile(ROUTES_FILE);
  const dot = dependencyMapDot(code, fileRoutes);
  const graph = fromDot(dot);
  const ids = new Set(nodesOf(graph).map((node) => node.id));
  const edges = edgesOf(graph);

  it('is DOT that a DOT parser reads back', () => {
    expect(graph.id).toBe('strangler');
    expect(ids.size).toBeGreaterThan(20);
  });

  it('renders with Graphviz where `dot` is installed', () => {
    const rendered = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
    if (rendered.error) return; // Graphviz is optional: the parser above is the check without it.
    expect(rendered.status).toBe(0);
    expect(rendered.stdout).toContain('<svg');
  });

  it('names every process of the registry', () => {
    for (const name of Object.keys(REGISTRY)) expect(ids).toContain(processNodeId(name));
  });

  it('names every route of routes.yaml and sends it to its current target', () => {
    const names = [...readFileSync(ROUTES_FILE, 'utf8').matchAll(/^\s+- name: (\S+)/gm)].map(([, name]) => name);
    expect(names.length).toBeGreaterThan(0);
    for (const route of fileRoutes.routes) {
      expect(edges).toContainEqual([routeNodeId(route.name), processNodeId(route.target)]);
    }
    expect(fileRoutes.routes.map((route) => route.name)).toEqual(names);
  });

  it('names every collection the code declares, inside the database of the process that opens it', () => {
    const labels = new Set(nodesOf(graph).flatMap((node) => (node.id.startsWith('collection/') ? [node.id] : [])));
    const collections = new Set([...labels].map((id) => id.split('/').at(-1)));
    for (const name of declaredCollections()) expect(collections).toContain(name);
    expect(labels).toContain(collectionNodeId('reddit', 'posts'));
    expect(labels).toContain(collectionNodeId('search', 'posts'));
  });

  it('follows controllers through services to repositories and their collections', () => {
    expect(edges).toContainEqual(['search/SearchController', 'search/SearchService']);
    expect(edges).toContainEqual(['search/SearchService', 'search/SearchRepository']);
    expect(edges).toContainEqual(['search/SearchRepository', collectionNodeId('search', 'posts')]);
    expect(edges).toContainEqual(['monolith/AppModule', 'monolith/SearchModule']);
  });

  it('shows the events flowing from the monolith through the relay to the services that apply them', () => {
    const flow = (event: string) => code.events.find((e) => e.event === event);
    expect(flow('post.created')).toEqual({
      event: 'post.created',
      producers: ['monolith'],
      consumers: expect.arrayContaining(['search', 'recommendations', 'tagging', 'engagement']),
    });
    expect(flow('posts.dropped')?.producers).toEqual(['importer']);
    expect(flow('post.tagged')?.producers).toEqual(['monolith', 'tagging']);
    expect(edges).toContainEqual([processNodeId('monolith'), processNodeId('sync')]);
    expect(edges).toContainEqual([processNodeId('sync'), processNodeId('search')]);
    expect(edges).toContainEqual([processNodeId('tagging'), processNodeId('sync')]);
  });

  describe('with a gateway running', () => {
    let server: ReturnType<typeof createServer>;
    let url: string;
    const live = {
      default: 'monolith',
      routes: [
        {
          name: 'search',
          match: [{ path: '/search', methods: ['GET'] }],
          target: 'monolith',
          state: 'canary',
          candidate: 'search',
          weight: 10,
        },
        { name: 'tags', match: [{ path: '/tags', methods: ['GET'] }], target: 'tagging', mode: 'live' },
      ],
    };

    beforeAll(async () => {
      server = createServer((req, res) => {
        const allowed = req.url === '/_gateway/routes' && req.headers.authorization === 'Bearer secret';
        res.writeHead(allowed ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify(allowed ? live : { statusCode: 401 }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('takes the routes and their current targets from it, candidates included', async () => {
      const routes = (await routesFromGateway(url, 'secret')) as RouteSource;
      expect(routes).toMatchObject({ live: true, from: url });
      const liveEdges = edgesOf(fromDot(dependencyMapDot(code, routes)));
      expect(liveEdges).toContainEqual([routeNodeId('tags'), processNodeId('tagging')]);
      expect(liveEdges).toContainEqual([routeNodeId('search'), processNodeId('monolith')]);
      expect(liveEdges).toContainEqual([routeNodeId('search'), processNodeId('search')]);
    });

    it('is not used when it refuses the token or does not answer', async () => {
      expect(await routesFromGateway(url, 'wrong')).toBeUndefined();
      expect(await routesFromGateway('http://127.0.0.1:9', 'secret')).toBeUndefined();
    });
  });
});
