import { Document, YAMLMap, isMap, isScalar, parseDocument } from 'yaml';
import { ProcessSpec, Registry, entryFileOf, microserviceNames } from './registry';

/**
 * The files other tools read, computed from a registry and the file's current
 * text: what the registry decides is replaced, everything else is kept.
 * `npm run registry` writes them; the registry spec fails when one drifts.
 */

/** One process as plain data, for the JavaScript that runs before the build (scripts/lib/stack.js). */
export interface RegistryJsonEntry extends ProcessSpec {
  name: string;
  entry: string;
}

export function registryJson(registry: Registry): string {
  const processes: RegistryJsonEntry[] = Object.entries(registry).map(([name, spec]) => ({
    name,
    ...spec,
    entry: entryFileOf(spec),
  }));
  return `${JSON.stringify({ processes }, null, 2)}\n`;
}

interface NestProject {
  type: 'application' | 'library';
  root: string;
  entryFile: string;
  sourceRoot: string;
}

/** nest-cli.json with one application project per process; library projects are kept. */
export function nestCliJson(text: string, registry: Registry): string {
  const config = JSON.parse(text) as { projects: Record<string, NestProject> };
  const libraries = Object.entries(config.projects).filter(([, project]) => project.type === 'library');
  const applications = Object.entries(registry).map(([name, spec]): [string, NestProject] => [
    name,
    { type: 'application', root: spec.root, entryFile: 'main', sourceRoot: `${spec.root}/src` },
  ]);
  config.projects = Object.fromEntries([...applications, ...libraries]);
  return `${JSON.stringify(config, null, 2)}\n`;
}

const YAML_OUTPUT = { lineWidth: 0, flowCollectionPadding: false } as const;

function mapAt(document: Document, path: string[]): YAMLMap {
  const node = document.getIn(path, true);
  if (!isMap(node)) throw new Error(`${path.join('.')} is not a mapping`);
  return node as YAMLMap;
}

/**
 * Removes the entries `isOurs` claims that the registry no longer names, and
 * adds the missing ones; true when it changed the map.
 */
function reconcile(
  map: YAMLMap,
  names: string[],
  isOurs: (name: string, value: unknown) => boolean,
  create: (name: string) => unknown,
): boolean {
  let changed = false;
  for (const pair of [...map.items]) {
    const name = String((pair.key as { value?: unknown })?.value ?? pair.key);
    if (isOurs(name, pair.value) && !names.includes(name) && map.delete(name)) changed = true;
  }
  for (const name of names) {
    if (map.has(name)) continue;
    map.set(name, create(name));
    changed = true;
  }
  return changed;
}

/** The document as text; an unchanged document keeps its text (and so its formatting) as it was. */
function output(document: Document, text: string, changed: boolean): string {
  return changed ? document.toString(YAML_OUTPUT) : text;
}

/**
 * docker/compose.yaml: one service per process, from the shared image with
 * SERVICE set to its name. Existing services keep their own settings.
 */
export function composeYaml(text: string, registry: Registry): string {
  const document = parseDocument(text);
  const services = mapAt(document, ['services']);
  const app = document.get('x-app', true);
  const appEnvironment = document.get('x-app-environment', true);
  if (!isMap(app) || !isMap(appEnvironment)) throw new Error('compose.yaml needs x-app and x-app-environment');
  const serviceOf = (value: unknown) =>
    isMap(value) ? (value.getIn(['environment', 'SERVICE']) as string | undefined) : undefined;
  const changed = reconcile(
    services,
    Object.keys(registry),
    (_name, value) => serviceOf(value) !== undefined && serviceOf(value) !== 'seed',
    (name) => {
      const environment = new YAMLMap();
      environment.add(document.createPair('<<', document.createAlias(appEnvironment)));
      environment.set('SERVICE', name);
      const service = new YAMLMap();
      service.add(document.createPair('<<', document.createAlias(app)));
      service.set('environment', environment);
      return service;
    },
  );
  return output(document, text, changed);
}

/** The Helm chart's values.yaml: one component per process, and the default route table. */
export function helmValuesYaml(text: string, registry: Registry, routesText: string): string {
  const document = parseDocument(text);
  const components = mapAt(document, ['components']);
  let changed = reconcile(
    components,
    Object.keys(registry),
    () => true,
    (name) => {
      const spec = registry[name];
      // A relay keeps per-aggregate order and one checkpoint: exactly one replica.
      const component: Record<string, unknown> = spec.kind === 'relay' ? { singleton: true } : { replicas: 1 };
      if (spec.healthPath !== '/health') component.healthPath = spec.healthPath;
      return document.createNode(component);
    },
  );
  const routes = document.getIn(['gateway', 'routes'], true);
  if (!isScalar(routes)) throw new Error('values.yaml needs gateway.routes as a block of text');
  // The file's header comment explains the file, not the chart's value.
  const value = routesText.replace(/^(?:#.*\n|\s*\n)*/, '');
  if (routes.value !== value) {
    routes.value = value;
    changed = true;
  }
  return output(document, text, changed);
}

/** gateway/routes.yaml: every microservice declared as an rpc target; routes and other targets are kept. */
export function routesYaml(text: string, registry: Registry): string {
  const document = parseDocument(text);
  const targets = mapAt(document, ['targets']);
  const changed = reconcile(
    targets,
    microserviceNames(registry),
    (_name, value) => isMap(value) && value.get('type') === 'rpc',
    () => document.createNode({ type: 'rpc' }),
  );
  return output(document, text, changed);
}

export const REGISTRY_JSON = 'libs/registry/registry.json';
export const NEST_CLI_JSON = 'nest-cli.json';
export const COMPOSE_YAML = 'docker/compose.yaml';
export const HELM_VALUES_YAML = 'docker/helm/strangler/values.yaml';
export const ROUTES_YAML = 'gateway/routes.yaml';

/** Every derived file (path relative to the repository root) with the text `registry` gives it. */
export function derivedFiles(read: (path: string) => string, registry: Registry): { path: string; text: string }[] {
  const routes = routesYaml(read(ROUTES_YAML), registry);
  return [
    { path: REGISTRY_JSON, text: registryJson(registry) },
    { path: NEST_CLI_JSON, text: nestCliJson(read(NEST_CLI_JSON), registry) },
    { path: COMPOSE_YAML, text: composeYaml(read(COMPOSE_YAML), registry) },
    { path: ROUTES_YAML, text: routes },
    { path: HELM_VALUES_YAML, text: helmValuesYaml(read(HELM_VALUES_YAML), registry, routes) },
  ];
}
