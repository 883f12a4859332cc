import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** A route of the gateway as the map shows it. */
export interface MappedRoute {
  name: string;
  /** `GET /search`, one per match entry. */
  matches: string[];
  target: string;
  /** Present when the gateway reports a progressive delivery state (shadow, canary). */
  state?: string;
  candidate?: string | null;
  weight?: number;
}

export interface RouteSource {
  /** Where the routes were read: the live gateway's URL or the file's path. */
  from: string;
  live: boolean;
  defaultTarget: string;
  routes: MappedRoute[];
}

interface RouteLike {
  name?: unknown;
  match?: unknown;
  target?: unknown;
  state?: unknown;
  candidate?: unknown;
  weight?: unknown;
}

function matchesOf(match: unknown): string[] {
  const entries = Array.isArray(match) ? match : [match];
  return entries.flatMap((entry) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { path, methods } = entry as { path?: unknown; methods?: unknown };
    if (typeof path !== 'string') return [];
    const verbs = Array.isArray(methods) && methods.length > 0 ? methods.join('|') : '*';
    return [`${verbs} ${path}`];
  });
}

function routesOf(list: unknown): MappedRoute[] {
  if (!Array.isArray(list)) return [];
  return (list as RouteLike[]).flatMap((route) => {
    if (typeof route?.name !== 'string' || typeof route.target !== 'string') return [];
    return [
      {
        name: route.name,
        matches: matchesOf(route.match),
        target: route.target,
        ...(typeof route.state === 'string' ? { state: route.state } : {}),
        ...(typeof route.candidate === 'string' || route.candidate === null ? { candidate: route.candidate } : {}),
        ...(typeof route.weight === 'number' ? { weight: route.weight } : {}),
      },
    ];
  });
}

/** The routes of a routes.yaml file. */
export function routesFromFile(file: string): RouteSource {
  const document = parse(readFileSync(file, 'utf8')) as { default?: unknown; routes?: unknown } | null;
  return {
    from: file,
    live: false,
    defaultTarget: typeof document?.default === 'string' ? document.default : 'monolith',
    routes: routesOf(document?.routes),
  };
}

/** The live table of a running gateway (`GET /_gateway/routes`), or undefined when it does not answer. */
export async function routesFromGateway(url: string, token: string | undefined): Promise<RouteSource | undefined> {
  const base = url.replace(/\/$/, '');
  try {
    const res = await fetch(`${base}/_gateway/routes`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(3000),
    });
    if (!res.ok) return undefined;
    const view = (await res.json()) as { default?: unknown; routes?: unknown };
    return {
      from: base,
      live: true,
      defaultTarget: typeof view.default === 'string' ? view.default : 'monolith',
      routes: routesOf(view.routes),
    };
  } catch {
    return undefined;
  }
}
