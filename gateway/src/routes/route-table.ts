import { METHODS } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { MatchFunction, match as compileMatch, pathToRegexp } from 'path-to-regexp';
import { parse } from 'yaml';
import { MICROSERVICE_NAMES, serviceOfInstance } from '@app/registry';
import {
  DEFAULT_SHADOW,
  DEFAULT_VERDICT,
  PromotionSettings,
  ShadowSettings,
  StickyKey,
  VerdictSettings,
  parsePromotion,
  parseShadow,
  parseSticky,
  parseVerdict,
  weightProblem,
} from './delivery-settings';

export const TARGET_TYPES = ['http', 'rpc'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

export const ROUTE_MODES = ['live', 'shadow', 'canary'] as const;
export type RouteMode = (typeof ROUTE_MODES)[number];

/**
 * Where a route stands on its way out of the monolith: `monolith` and `live`
 * are `mode: live` on the default target or on another one; `shadow` and
 * `canary` have a candidate beside the target.
 */
export const ROUTE_STATES = ['monolith', 'shadow', 'canary', 'live'] as const;
export type RouteState = (typeof ROUTE_STATES)[number];

export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
/** A target name: a route-like name, or a service instance such as `search@v2`. */
export const TARGET_NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}(@[a-z0-9][a-z0-9-]{0,15})?$/;
/** The route every request no named route matches belongs to. */
export const DEFAULT_ROUTE = 'default';
export const GATEWAY_PREFIX = '/_gateway';

/** Where http-proxy sends a request, parsed once at load so nothing is parsed per request. */
export interface ProxyTarget {
  protocol: string;
  host: string;
  hostname: string;
  port: string;
  path: string;
}

export interface HttpTarget {
  name: string;
  type: 'http';
  url: string;
  proxy: ProxyTarget;
}

export interface RpcTarget {
  name: string;
  type: 'rpc';
}

export type Target = HttpTarget | RpcTarget;

export interface RouteMatch {
  path: string;
  /** Absent: every method. GET also matches HEAD. */
  methods?: string[];
}

interface Matcher {
  regexp: RegExp;
  methods: ReadonlySet<string> | undefined;
}

/** Methods that change nothing: a route taking only these never needs a consistent cutover. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What a route does besides sending requests to its target; settings absent from the file take defaults. */
export interface RouteDelivery {
  /** The target being shadowed or canaried beside `target`. */
  candidate?: Target;
  /** Percent of a canary's safe requests the candidate gets; 0 outside canary. */
  weight: number;
  sticky?: StickyKey;
  shadow: ShadowSettings;
  verdict: VerdictSettings;
  promotion?: PromotionSettings;
}

const LIVE: RouteDelivery = { weight: 0, shadow: DEFAULT_SHADOW, verdict: DEFAULT_VERDICT };

export class Route {
  /** Whether the route takes a method that may write (an entry without methods takes all). */
  readonly writes: boolean;
  readonly state: RouteState;
  /** Reads the sticky path parameter, one function per match entry that has it. */
  private readonly paramReaders: readonly MatchFunction<Record<string, string>>[];

  constructor(
    readonly name: string,
    readonly match: readonly RouteMatch[],
    readonly target: Target,
    readonly mode: RouteMode,
    private readonly matchers: readonly Matcher[],
    readonly delivery: RouteDelivery = LIVE,
    onDefaultTarget = true,
  ) {
    this.writes = match.some(({ methods }) => methods === undefined || methods.some((m) => !READ_METHODS.has(m)));
    this.state = mode === 'live' ? (onDefaultTarget ? 'monolith' : 'live') : mode;
    const param = delivery.sticky?.param;
    this.paramReaders = param
      ? match
          .filter((m) => m.path.includes(`:${param}`))
          .map((m) => compileMatch<Record<string, string>>(m.path, { decode: false }))
      : [];
  }

  get candidate(): Target | undefined {
    return this.delivery.candidate;
  }

  /** The client key a canary assigns by: the sticky header or path parameter; undefined when the request has none. */
  stickyKey(path: string, headers: IncomingHttpHeaders): string | undefined {
    const sticky = this.delivery.sticky;
    if (sticky?.header !== undefined) {
      const value = headers[sticky.header];
      return Array.isArray(value) ? value[0] : value;
    }
    for (const read of this.paramReaders) {
      const found = read(path);
      if (found) return found.params[sticky?.param as string];
    }
    return undefined;
  }

  matches(method: string, path: string): boolean {
    for (let i = 0; i < this.matchers.length; i++) {
      const matcher = this.matchers[i];
      if ((matcher.methods === undefined || matcher.methods.has(method)) && matcher.regexp.test(path)) return true;
    }
    return false;
  }
}

/** A validated, compiled routes.yaml: routes are tried in order, the first match wins. */
export class RouteTable {
  readonly defaultRoute: Route;

  constructor(
    readonly defaultTarget: HttpTarget,
    readonly targets: ReadonlyMap<string, Target>,
    readonly routes: readonly Route[],
  ) {
    this.defaultRoute = new Route(DEFAULT_ROUTE, [], defaultTarget, 'live', []);
  }

  /** `path` is the request path without its query string. */
  match(method: string, path: string): Route {
    for (let i = 0; i < this.routes.length; i++) {
      if (this.routes[i].matches(method, path)) return this.routes[i];
    }
    return this.defaultRoute;
  }

  route(name: string): Route | undefined {
    return this.routes.find((route) => route.name === name);
  }
}

/** A routes file that cannot be used, with every problem found. */
export class RouteTableError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownKeys(value: Plain, allowed: readonly string[], where: string, problems: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      problems.push(`${where}${where ? '.' : ''}${key}: unknown key (allowed: ${allowed.join(', ')})`);
  }
}

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const HTTP_URL = /^http:\/\/[^/?#\s]+(\/[^?#\s]*)?$/;

function proxyTargetOf(url: string): ProxyTarget {
  const parsed = new URL(url);
  return {
    protocol: parsed.protocol,
    host: parsed.host,
    hostname: parsed.hostname,
    port: parsed.port || '80',
    path: parsed.pathname === '/' ? '' : parsed.pathname,
  };
}

function parseTarget(
  name: string,
  spec: unknown,
  variables: Record<string, string>,
  services: readonly string[],
  problems: string[],
): Target | undefined {
  const where = `targets.${name}`;
  if (!TARGET_NAME_PATTERN.test(name)) {
    problems.push(`${where}: a target name must match ${TARGET_NAME_PATTERN}`);
    return undefined;
  }
  if (!isPlain(spec)) {
    problems.push(`${where}: must be a mapping with a type`);
    return undefined;
  }
  unknownKeys(spec, ['type', 'url'], where, problems);
  if (spec.type === 'rpc') {
    if (spec.url !== undefined)
      problems.push(`${where}.url: rpc targets are reached through the transport and take no url`);
    if (!services.includes(serviceOfInstance(name))) {
      problems.push(
        `${where}: "${name}" is not a service of the registry (or a version of one, "<service>@<version>"), so nothing answers its messages (rpc targets: ${services.join(', ')})`,
      );
      return undefined;
    }
    return { name, type: 'rpc' };
  }
  if (name.includes('@')) {
    problems.push(`${where}: only rpc targets (service instances) may carry an @version`);
    return undefined;
  }
  if (spec.type !== 'http') {
    problems.push(`${where}.type: must be one of ${TARGET_TYPES.join(', ')}`);
    return undefined;
  }
  if (typeof spec.url !== 'string') {
    problems.push(`${where}.url: an http target needs a url`);
    return undefined;
  }
  const missing: string[] = [];
  const url = spec.url.replace(PLACEHOLDER, (_, variable: string) => {
    if (variables[variable] === undefined) missing.push(variable);
    return variables[variable] ?? '';
  });
  if (missing.length > 0) {
    problems.push(
      `${where}.url: unknown variable ${missing.map((v) => `\${${v}}`).join(', ')} (known: ${Object.keys(variables).join(', ')})`,
    );
    return undefined;
  }
  if (!HTTP_URL.test(url)) {
    problems.push(`${where}.url: "${url}" must be an http:// URL without query or fragment`);
    return undefined;
  }
  return { name, type: 'http', url, proxy: proxyTargetOf(url) };
}

function parseMethods(value: unknown, where: string, problems: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((m) => typeof m === 'string')) {
    problems.push(`${where}: must be a method or a non-empty list of methods`);
    return undefined;
  }
  const methods = list.map((m: string) => m.toUpperCase());
  const unknown = methods.filter((m) => !METHODS.includes(m));
  if (unknown.length > 0) problems.push(`${where}: unknown method ${unknown.join(', ')}`);
  return methods;
}

function parseMatch(
  value: unknown,
  where: string,
  problems: string[],
): { match: RouteMatch; matcher: Matcher } | undefined {
  if (!isPlain(value)) {
    problems.push(`${where}: must be a mapping with a path`);
    return undefined;
  }
  unknownKeys(value, ['path', 'methods'], where, problems);
  const methods = parseMethods(value.methods, `${where}.methods`, problems);
  const { path } = value;
  if (typeof path !== 'string' || !path.startsWith('/')) {
    problems.push(`${where}.path: must be a path starting with /`);
    return undefined;
  }
  if (path === GATEWAY_PREFIX || path.toLowerCase().startsWith(`${GATEWAY_PREFIX}/`)) {
    problems.push(`${where}.path: ${GATEWAY_PREFIX} belongs to the gateway itself`);
    return undefined;
  }
  let regexp: RegExp;
  try {
    regexp = pathToRegexp(path).regexp;
  } catch (error) {
    problems.push(`${where}.path: bad pattern "${path}" (${(error as Error).message.replace(/;.*$/, '')})`);
    return undefined;
  }
  const methodSet = methods && new Set(methods.includes('GET') ? [...methods, 'HEAD'] : methods);
  return { match: methods ? { path, methods } : { path }, matcher: { regexp, methods: methodSet } };
}

const ROUTE_KEYS = [
  'name',
  'match',
  'target',
  'mode',
  'candidate',
  'weight',
  'sticky',
  'shadow',
  'verdict',
  'promotion',
];

/** The names of the `:param`s of a route's paths. */
function pathParams(matches: readonly RouteMatch[]): Set<string> {
  const names = new Set<string>();
  for (const { path } of matches) for (const [, name] of path.matchAll(/:([A-Za-z_$][A-Za-z0-9_$]*)/g)) names.add(name);
  return names;
}

function parseDelivery(
  spec: Plain,
  mode: string,
  target: Target | undefined,
  matches: readonly RouteMatch[],
  targets: ReadonlyMap<string, Target>,
  where: string,
  problems: string[],
): RouteDelivery {
  const delivery: RouteDelivery = {
    weight: 0,
    sticky: parseSticky(spec.sticky, pathParams(matches), `${where}.sticky`, problems),
    shadow: parseShadow(spec.shadow, `${where}.shadow`, problems),
    verdict: parseVerdict(spec.verdict, `${where}.verdict`, problems),
    promotion: parsePromotion(spec.promotion, `${where}.promotion`, problems),
  };
  const declared = [...targets.keys()].join(', ');
  if (mode === 'live') {
    if (spec.candidate !== undefined && spec.candidate !== null)
      problems.push(`${where}.candidate: only a route in mode shadow or canary has a candidate`);
  } else if (mode === 'shadow' || mode === 'canary') {
    const candidate = typeof spec.candidate === 'string' ? targets.get(spec.candidate) : undefined;
    if (!candidate) {
      problems.push(
        `${where}.candidate: mode ${mode} needs a candidate, a declared target ("${String(spec.candidate)}" is not; declared: ${declared})`,
      );
    } else if (candidate === target) {
      problems.push(`${where}.candidate: "${candidate.name}" is already the route's target; pick another`);
    } else delivery.candidate = candidate;
  }
  if (mode === 'canary') {
    const problem = weightProblem(spec.weight);
    if (problem) problems.push(`${where}.weight: a canary's weight (percent to the candidate) ${problem}`);
    else delivery.weight = spec.weight as number;
  } else if (spec.weight !== undefined && spec.weight !== null) {
    problems.push(`${where}.weight: only a route in mode canary has a weight`);
  }
  return delivery;
}

function parseRoute(
  spec: unknown,
  index: number,
  targets: ReadonlyMap<string, Target>,
  defaultTarget: Target | undefined,
  seen: Set<string>,
  problems: string[],
): Route | undefined {
  let where = `routes[${index}]`;
  if (!isPlain(spec)) {
    problems.push(`${where}: must be a mapping with name, match, target and mode`);
    return undefined;
  }
  const { name } = spec;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    problems.push(`${where}.name: a route name must match ${NAME_PATTERN}`);
    return undefined;
  }
  where = `${where} (${name})`;
  if (name === DEFAULT_ROUTE)
    problems.push(`${where}.name: "${DEFAULT_ROUTE}" is reserved for requests no route matches`);
  if (seen.has(name)) problems.push(`${where}.name: duplicate route name "${name}"`);
  seen.add(name);
  unknownKeys(spec, ROUTE_KEYS, where, problems);

  const mode = spec.mode ?? 'live';
  if (typeof mode !== 'string' || !(ROUTE_MODES as readonly string[]).includes(mode)) {
    problems.push(`${where}.mode: "${String(mode)}" is not a mode (modes: ${ROUTE_MODES.join(', ')})`);
  }
  const target = typeof spec.target === 'string' ? targets.get(spec.target) : undefined;
  if (!target) {
    problems.push(
      `${where}.target: "${String(spec.target)}" is not a declared target (declared: ${[...targets.keys()].join(', ')})`,
    );
  }
  const specs = Array.isArray(spec.match) ? spec.match : [spec.match];
  if (specs.length === 0) problems.push(`${where}.match: needs at least one {path, methods}`);
  const parsed = specs.map((m, i) =>
    parseMatch(m, `${where}.match${Array.isArray(spec.match) ? `[${i}]` : ''}`, problems),
  );
  const matches = parsed.filter((p) => p !== undefined);
  const delivery = parseDelivery(
    spec,
    String(mode),
    target,
    matches.map((m) => m.match),
    targets,
    where,
    problems,
  );
  if (!target || matches.length !== parsed.length) return undefined;
  return new Route(
    name,
    matches.map((m) => m.match),
    target,
    mode as RouteMode,
    matches.map((m) => m.matcher),
    delivery,
    target === defaultTarget,
  );
}

/**
 * Parses and validates the text of routes.yaml. `${NAME}` in a target url
 * is replaced from `variables`; an rpc target must be one of `services` (the
 * registry's microservices). Throws a RouteTableError listing every problem.
 */
export function parseRouteTable(
  text: string,
  variables: Record<string, string>,
  services: readonly string[] = MICROSERVICE_NAMES,
): RouteTable {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new RouteTableError([`not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  if (!isPlain(document)) throw new RouteTableError(['must be a mapping with default, targets and routes']);
  const problems: string[] = [];
  unknownKeys(document, ['default', 'targets', 'routes'], '', problems);

  const targets = new Map<string, Target>();
  if (!isPlain(document.targets)) problems.push('targets: must map target names to {type, url}');
  else {
    for (const [name, spec] of Object.entries(document.targets)) {
      const target = parseTarget(name, spec, variables, services, problems);
      if (target) targets.set(name, target);
    }
  }

  const defaultTarget = typeof document.default === 'string' ? targets.get(document.default) : undefined;
  if (!defaultTarget) problems.push(`default: "${String(document.default)}" is not a declared target`);
  else if (defaultTarget.type !== 'http') {
    problems.push(
      `default: must be an http target, since it serves unmatched requests and fallbacks ("${defaultTarget.name}" is ${defaultTarget.type})`,
    );
  }

  const routeSpecs = document.routes ?? [];
  const routes: Route[] = [];
  if (!Array.isArray(routeSpecs)) problems.push('routes: must be a list');
  else {
    const seen = new Set<string>();
    routeSpecs.forEach((spec, index) => {
      const route = parseRoute(spec, index, targets, defaultTarget, seen, problems);
      if (route) routes.push(route);
    });
  }

  if (problems.length > 0) throw new RouteTableError(problems);
  return new RouteTable(defaultTarget as HttpTarget, targets, routes);
}
