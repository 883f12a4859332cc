import { ConflictError, InvalidInputError } from '@app/platform';
import { DEFAULT_PROMOTION_STEPS } from './delivery-settings';
import type { Route, RouteMode, RouteTable, Target } from './route-table';

/** A route's new target, mode and candidate, as written to routes.yaml. */
export interface RouteChange {
  route: string;
  target: string;
  mode: RouteMode;
  /** Absent: the route has no candidate. */
  candidate?: string;
  /** Absent: not a canary. */
  weight?: number;
  /** Set only when the transition names it; otherwise the file's value stays. */
  sampleRate?: number;
}

/**
 * The state machine of a route: monolith -> shadow -> canary(weight) -> live,
 * and from any state one step back. Each function checks the transition
 * against the live table and returns the change to write, or throws a 400
 * (bad input) or 409 (not allowed from the route's state) naming why.
 */
function declared(table: RouteTable, name: string, role: string): Target {
  const target = table.targets.get(name);
  if (!target) {
    throw new InvalidInputError(
      `${role} "${name}" is not declared in routes.yaml (declared: ${[...table.targets.keys()].join(', ')})`,
    );
  }
  return target;
}

function candidateFor(route: Route, table: RouteTable, name: string): Target {
  const candidate = declared(table, name, 'candidate');
  if (candidate === route.target) {
    throw new InvalidInputError(`candidate "${name}" is already the target of route ${route.name}; pick another`);
  }
  return candidate;
}

/** The existing flip: the route goes to `target`, with no candidate. */
export function flip(route: Route, table: RouteTable, target: string): RouteChange {
  declared(table, target, 'target');
  return { route: route.name, target, mode: 'live' };
}

export function startShadow(route: Route, table: RouteTable, candidate: string, sampleRate?: number): RouteChange {
  candidateFor(route, table, candidate);
  return { route: route.name, target: route.target.name, mode: 'shadow', candidate, sampleRate };
}

export function startCanary(route: Route, table: RouteTable, candidate: string, weight: number): RouteChange {
  candidateFor(route, table, candidate);
  return { route: route.name, target: route.target.name, mode: 'canary', candidate, weight };
}

/** The weights `promote` walks for this route. */
export function promotionSteps(route: Route): number[] {
  return route.delivery.promotion?.steps ?? DEFAULT_PROMOTION_STEPS;
}

/** shadow -> canary at the first step; canary -> the next step above its weight; past the last step -> live. */
export function promote(route: Route): RouteChange {
  const candidate = route.candidate;
  if (!candidate || route.mode === 'live') {
    throw new ConflictError(
      `route ${route.name} is ${route.state}: only a shadow or a canary can be promoted (start one with shadow or canary)`,
    );
  }
  const steps = promotionSteps(route);
  if (route.mode === 'shadow') {
    return {
      route: route.name,
      target: route.target.name,
      mode: 'canary',
      candidate: candidate.name,
      weight: steps[0],
    };
  }
  const next = steps.find((step) => step > route.delivery.weight);
  if (next === undefined || route.delivery.weight >= 100) {
    return { route: route.name, target: candidate.name, mode: 'live' };
  }
  return { route: route.name, target: route.target.name, mode: 'canary', candidate: candidate.name, weight: next };
}

/** shadow/canary -> the target alone; live -> the default target (the monolith). */
export function rollBack(route: Route, table: RouteTable): RouteChange {
  if (route.candidate) return { route: route.name, target: route.target.name, mode: 'live' };
  if (route.state === 'monolith') {
    throw new ConflictError(
      `route ${route.name} is already on ${route.target.name} with no candidate: nothing to roll back`,
    );
  }
  return { route: route.name, target: table.defaultTarget.name, mode: 'live' };
}

/** Whether `change` leaves the route as it is. */
export function changesNothing(route: Route | undefined, change: RouteChange): boolean {
  return (
    route !== undefined &&
    route.target.name === change.target &&
    route.mode === change.mode &&
    route.candidate?.name === change.candidate &&
    (change.mode !== 'canary' || route.delivery.weight === change.weight) &&
    (change.sampleRate === undefined || route.delivery.shadow.sampleRate === change.sampleRate)
  );
}
