import { basename } from 'node:path';
import { Digraph, SubgraphModel, toDot } from 'ts-graphviz';
import { REGISTRY, Registry } from '@app/registry';
import { CodeMap, IMPORTER } from './code-map';
import { RouteSource } from './route-map';

/**
 * The dependency map as Graphviz DOT: one cluster per process with its
 * modules, controllers, services and repositories; the collections of each
 * database; the gateway's routes and where each goes now; and the event
 * flows through the relay. Node ids are stable, so two maps can be diffed.
 */

const ROLE_STYLE = {
  module: { shape: 'folder', fillcolor: '#e8eef7' },
  controller: { shape: 'box', fillcolor: '#fff4d6' },
  service: { shape: 'box', fillcolor: '#ffffff' },
  repository: { shape: 'box', fillcolor: '#e4f4e4' },
} as const;

export const processNodeId = (name: string) => `process/${name}`;
export const collectionNodeId = (database: string, collection: string) => `collection/${database}/${collection}`;
export const routeNodeId = (name: string) => `route/${name}`;

/** The database a process's collections live in; a process with none of its own reads others' (the relay). */
function databaseOf(registry: Registry, process: string): string {
  return registry[process]?.database ?? `each database ${process} reads`;
}

function routeLabel(route: RouteSource['routes'][number]): string {
  const delivery =
    route.state && route.state !== 'live' && route.state !== 'monolith' && route.candidate
      ? `\n${route.state} → ${route.candidate}${route.weight !== undefined ? ` ${route.weight}%` : ''}`
      : '';
  return `${route.name}\n${route.matches.join('\n')}${delivery}`;
}

export function dependencyMapDot(code: CodeMap, routes: RouteSource, registry: Registry = REGISTRY): string {
  const graph = new Digraph('strangler', {
    rankdir: 'LR',
    compound: true,
    fontname: 'Helvetica',
    label: `Strangler dependency map (routes from ${routes.live ? 'the live gateway' : 'routes.yaml'})`,
    labelloc: 't',
  });
  graph.attributes.node.apply({ fontname: 'Helvetica', fontsize: 10, style: 'filled' });
  graph.attributes.edge.apply({ fontname: 'Helvetica', fontsize: 9 });

  const clusters = new Map<string, SubgraphModel>();
  for (const [name, spec] of Object.entries(registry)) {
    const cluster = graph.createSubgraph(`cluster_${name}`, { label: `${name} (${spec.kind})`, style: 'rounded' });
    clusters.set(name, cluster);
    const port = spec.rpcPort ? `:${spec.httpPort} / rpc :${spec.rpcPort}` : `:${spec.httpPort}`;
    cluster.createNode(processNodeId(name), {
      label: `${name}\n${port}${spec.database ? `\ndb ${spec.database}` : ''}`,
      shape: 'component',
      fillcolor: spec.kind === 'microservice' ? '#d6eaff' : spec.kind === 'http-app' ? '#ffe0d6' : '#eeeeee',
    });
  }

  const databases = new Map<string, SubgraphModel>();
  const databaseCluster = (database: string) => {
    let cluster = databases.get(database);
    if (!cluster) {
      cluster = graph.createSubgraph(`cluster_db_${database.replace(/\W+/g, '_')}`, {
        label: `database ${database}`,
        style: 'dashed',
      });
      databases.set(database, cluster);
    }
    return cluster as SubgraphModel;
  };

  for (const entry of code.classes) {
    const cluster = clusters.get(entry.process);
    if (!cluster) continue;
    cluster.createNode(entry.id, { label: `${entry.name}\n${entry.file}`, ...ROLE_STYLE[entry.role] });
    const database = databaseOf(registry, entry.process);
    for (const collection of entry.collections) {
      const id = collectionNodeId(database, collection);
      databaseCluster(database).createNode(id, { label: collection, shape: 'cylinder', fillcolor: '#f3f3f3' });
      graph.createEdge([entry.id, id], { color: '#2e7d32' });
    }
  }
  for (const entry of code.classes) {
    for (const used of entry.uses) graph.createEdge([entry.id, used]);
  }
  // Each process leads into its modules.
  for (const entry of code.classes.filter((e) => e.role === 'module' && /(App|Module)$/.test(e.name))) {
    if (!code.classes.some((other) => other.uses.includes(entry.id))) {
      graph.createEdge([processNodeId(entry.process), entry.id], { style: 'dotted' });
    }
  }

  const gateway = Object.entries(registry).find(([, spec]) => spec.kind === 'gateway')?.[0];
  const routeCluster = graph.createSubgraph('cluster_routes', {
    label: `routes (${routes.live ? `live from ${routes.from}` : basename(routes.from)})`,
    style: 'rounded',
  });
  for (const route of routes.routes) {
    routeCluster.createNode(routeNodeId(route.name), { label: routeLabel(route), shape: 'note', fillcolor: '#fffbe6' });
    if (gateway) graph.createEdge([processNodeId(gateway), routeNodeId(route.name)]);
    if (registry[route.target]) {
      graph.createEdge([routeNodeId(route.name), processNodeId(route.target)], { color: '#1565c0', penwidth: 2 });
    }
    if (route.candidate && registry[route.candidate]) {
      graph.createEdge([routeNodeId(route.name), processNodeId(route.candidate)], {
        color: '#1565c0',
        style: 'dashed',
        label: route.state ?? 'candidate',
      });
    }
  }
  if (gateway && registry[routes.defaultTarget]) {
    graph.createEdge([processNodeId(gateway), processNodeId(routes.defaultTarget)], {
      label: 'default',
      style: 'dashed',
    });
  }

  // Events travel from their producers through the relay to the processes that apply them.
  const relay = Object.entries(registry).find(([, spec]) => spec.kind === 'relay')?.[0];
  if (relay) {
    const flows = new Map<string, string[]>();
    const add = (from: string, to: string, event: string) => {
      const key = `${from}\u0000${to}`;
      flows.set(key, [...(flows.get(key) ?? []), event]);
    };
    for (const { event, producers, consumers } of code.events) {
      for (const producer of producers) add(producer, relay, event);
      for (const consumer of consumers) add(relay, consumer, event);
    }
    if (code.events.some((flow) => flow.producers.includes(IMPORTER))) {
      graph.createNode(processNodeId(IMPORTER), {
        label: 'importer\nnpm run import',
        shape: 'cds',
        fillcolor: '#eeeeee',
      });
    }
    for (const [key, events] of flows) {
      const [from, to] = key.split('\u0000');
      graph.createEdge([processNodeId(from), processNodeId(to)], {
        label: events.join('\n'),
        color: '#8e24aa',
        fontcolor: '#8e24aa',
        style: 'bold',
      });
    }
  }
  return toDot(graph);
}
