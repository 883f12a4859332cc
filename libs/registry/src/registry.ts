/**
 * Every process of the product, once. nest-cli.json, `npm start`, the image's
 * entry point, compose, Helm values and the gateway's rpc targets are
 * generated from this list or checked against it (`npm run registry`).
 */
export const PROCESS_KINDS = ['http-app', 'microservice', 'relay', 'gateway'] as const;
export type ProcessKind = (typeof PROCESS_KINDS)[number];

export interface ProcessSpec {
  readonly kind: ProcessKind;
  /** Nest project root; the compiled entry is dist/<root>/src/main.js. */
  readonly root: string;
  /** Default HTTP port (health and metrics for a microservice). */
  readonly httpPort: number;
  readonly healthPath: string;
  /** Default port of the tcp transport (microservices only). */
  readonly rpcPort?: number;
  /** Database the process owns. */
  readonly database?: string;
  /** Every message pattern the process serves starts with it (`search.` serves `search.posts.query`). */
  readonly patternPrefix?: string;
}

export type Registry = Readonly<Record<string, ProcessSpec>>;

/** Ordered as the processes start: each one after those it depends on. */
export const REGISTRY = {
  monolith: { kind: 'http-app', root: 'monolith', httpPort: 3001, healthPath: '/health', database: 'reddit' },
  search: {
    kind: 'microservice',
    root: 'extracted/search',
    httpPort: 3101,
    healthPath: '/health',
    rpcPort: 4101,
    database: 'search',
    patternPrefix: 'search.',
  },
  recommendations: {
    kind: 'microservice',
    root: 'extracted/recommendations',
    httpPort: 3102,
    healthPath: '/health',
    rpcPort: 4102,
    database: 'recommendations',
    patternPrefix: 'recommendations.',
  },
  tagging: {
    kind: 'microservice',
    root: 'extracted/tagging',
    httpPort: 3103,
    healthPath: '/health',
    rpcPort: 4103,
    database: 'tagging',
    patternPrefix: 'tagging.',
  },
  engagement: {
    kind: 'microservice',
    root: 'extracted/engagement',
    httpPort: 3104,
    healthPath: '/health',
    rpcPort: 4104,
    database: 'engagement',
    patternPrefix: 'engagement.',
  },
  sync: { kind: 'relay', root: 'extracted/sync', httpPort: 3105, healthPath: '/health' },
  gateway: { kind: 'gateway', root: 'gateway', httpPort: 3000, healthPath: '/_gateway/health' },
} as const satisfies Registry;

export type ProcessName = keyof typeof REGISTRY;

/** The processes reached over the transport: the gateway's rpc targets and the relay's consumers. */
export type MicroserviceName = {
  [K in ProcessName]: (typeof REGISTRY)[K]['kind'] extends 'microservice' ? K : never;
}[ProcessName];

export function processNames(registry: Registry = REGISTRY): string[] {
  return Object.keys(registry);
}

/** Names of the microservices of `registry`, in registry order. */
export function microserviceNames(registry: Registry = REGISTRY): string[] {
  return Object.entries(registry)
    .filter(([, spec]) => spec.kind === 'microservice')
    .map(([name]) => name);
}

export const MICROSERVICE_NAMES = microserviceNames() as readonly MicroserviceName[];

export function isMicroserviceName(name: string): name is MicroserviceName {
  return (MICROSERVICE_NAMES as readonly string[]).includes(name);
}

/** The compiled entry file of a process, relative to the repository root. */
export function entryFileOf(spec: ProcessSpec): string {
  return `dist/${spec.root}/src/main.js`;
}

/** The variable holding a microservice's tcp port, e.g. SEARCH_RPC_PORT. */
export function rpcPortKeyOf(name: string): string {
  return `${name.toUpperCase()}_RPC_PORT`;
}

/**
 * A second instance of a microservice runs beside the first under a version
 * label, `search@v2`: its own process, queue, subjects and tcp port. The
 * label-less name is the service's first instance.
 */
export const INSTANCE_VERSION_PATTERN = /^[a-z0-9][a-z0-9-]{0,15}$/;

/** The service an instance name belongs to: `search@v2` -> `search`, `search` -> `search`. */
export function serviceOfInstance(instance: string): string {
  const at = instance.indexOf('@');
  return at === -1 ? instance : instance.slice(0, at);
}

/** The version label of an instance name, undefined for a service's first instance. */
export function versionOfInstance(instance: string): string | undefined {
  const at = instance.indexOf('@');
  return at === -1 ? undefined : instance.slice(at + 1);
}
