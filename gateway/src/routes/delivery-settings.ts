/**
 * The progressive-delivery part of a route in routes.yaml: how a shadow is
 * bounded, which key makes a canary sticky, when the window may judge the
 * candidate, and the promotion steps. Parsed with the same "every problem at
 * once" validation as the rest of the table.
 */

export interface ShadowSettings {
  /** Share of safe requests also sent to the candidate, 0..1. */
  sampleRate: number;
  /** Shadow requests of the route in flight at once; past this a request is not shadowed. */
  maxInFlight: number;
  /** A candidate (or a second target call) silent this long is counted as failed. */
  timeoutMs: number;
  /** Share of shadowed requests also sent to the target a second time to learn its noise, 0..1. */
  noiseSampleRate: number;
}

export interface StickyKey {
  /** A request header (lowercase) whose value assigns the client to a side. */
  header?: string;
  /** A path parameter of the route's match (`user` in `/users/:user/...`). */
  param?: string;
}

export interface VerdictSettings {
  /** Requests per side the sliding window keeps. */
  windowRequests: number;
  /** Candidate requests the window must hold before it may judge. */
  minRequests: number;
  /** The candidate's error rate may exceed the baseline's by this much, 0..1. */
  maxErrorRateIncrease: number;
  /** The candidate's p99 may be this many times the baseline's ... */
  maxP99Ratio: number;
  /** ... plus this many milliseconds, so a 1 ms baseline does not fail a 3 ms candidate. */
  p99SlackMs: number;
}

export interface PromotionSettings {
  /** Weights (percent to the candidate) the canary walks through, increasing. */
  steps: number[];
  /** How long each step must hold without a breach before the next. */
  dwellMs: number;
}

export const DEFAULT_SHADOW: ShadowSettings = {
  sampleRate: 1,
  maxInFlight: 16,
  timeoutMs: 2_000,
  noiseSampleRate: 0.1,
};
export const DEFAULT_VERDICT: VerdictSettings = {
  windowRequests: 200,
  minRequests: 50,
  maxErrorRateIncrease: 0.05,
  maxP99Ratio: 2,
  p99SlackMs: 50,
};
/** The steps `promote` walks when a route declares none. */
export const DEFAULT_PROMOTION_STEPS = [5, 25, 50, 100];

type Plain = Record<string, unknown>;

interface NumberRule {
  min: number;
  max: number;
  integer?: boolean;
}

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberProblem(value: unknown, rule: NumberRule): string | undefined {
  const kind = rule.integer ? 'an integer' : 'a number';
  if (typeof value !== 'number' || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value))) {
    return `must be ${kind} from ${rule.min} to ${rule.max}`;
  }
  return value < rule.min || value > rule.max ? `must be ${kind} from ${rule.min} to ${rule.max}` : undefined;
}

/** Reads a mapping of numbers with defaults; an unknown key or a bad value is a problem. */
function numbers<T extends object>(
  value: unknown,
  defaults: T,
  rules: Record<keyof T, NumberRule>,
  where: string,
  problems: string[],
): T {
  if (value === undefined) return defaults;
  if (!isPlain(value)) {
    problems.push(`${where}: must be a mapping of ${Object.keys(defaults).join(', ')}`);
    return defaults;
  }
  const result = { ...defaults } as Record<string, number>;
  for (const [key, given] of Object.entries(value)) {
    const rule = (rules as Record<string, NumberRule>)[key];
    if (!rule) {
      problems.push(`${where}.${key}: unknown key (allowed: ${Object.keys(defaults).join(', ')})`);
      continue;
    }
    const problem = numberProblem(given, rule);
    if (problem) problems.push(`${where}.${key}: ${problem}`);
    else result[key] = given as number;
  }
  return result as T;
}

export function parseShadow(value: unknown, where: string, problems: string[]): ShadowSettings {
  return numbers(
    value,
    DEFAULT_SHADOW,
    {
      sampleRate: { min: 0, max: 1 },
      maxInFlight: { min: 1, max: 1_000, integer: true },
      timeoutMs: { min: 1, max: 60_000, integer: true },
      noiseSampleRate: { min: 0, max: 1 },
    },
    where,
    problems,
  );
}

export function parseVerdict(value: unknown, where: string, problems: string[]): VerdictSettings {
  const verdict = numbers(
    value,
    DEFAULT_VERDICT,
    {
      windowRequests: { min: 10, max: 100_000, integer: true },
      minRequests: { min: 1, max: 100_000, integer: true },
      maxErrorRateIncrease: { min: 0, max: 1 },
      maxP99Ratio: { min: 1, max: 1_000 },
      p99SlackMs: { min: 0, max: 600_000 },
    },
    where,
    problems,
  );
  if (verdict.minRequests > verdict.windowRequests) {
    problems.push(`${where}.minRequests: cannot exceed windowRequests (${verdict.windowRequests})`);
  }
  return verdict;
}

const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

export function parseSticky(
  value: unknown,
  params: ReadonlySet<string>,
  where: string,
  problems: string[],
): StickyKey | undefined {
  if (value === undefined || value === null) return undefined;
  const shape = 'must be {header: <name>} or {param: <path parameter>}';
  if (!isPlain(value) || Object.keys(value).length !== 1) {
    problems.push(`${where}: ${shape}`);
    return undefined;
  }
  if ('header' in value) {
    const header = typeof value.header === 'string' ? value.header.toLowerCase() : '';
    if (!HEADER_NAME.test(header)) problems.push(`${where}.header: must be a header name`);
    return { header };
  }
  if ('param' in value) {
    const param = String(value.param);
    if (!params.has(param)) {
      problems.push(
        `${where}.param: "${param}" is not a parameter of the route's paths (parameters: ${[...params].join(', ') || 'none'})`,
      );
    }
    return { param };
  }
  problems.push(`${where}: ${shape}`);
  return undefined;
}

export function parsePromotion(value: unknown, where: string, problems: string[]): PromotionSettings | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlain(value)) {
    problems.push(`${where}: must be a mapping of steps and dwellMs`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (key !== 'steps' && key !== 'dwellMs') problems.push(`${where}.${key}: unknown key (allowed: steps, dwellMs)`);
  }
  const { steps, dwellMs } = value;
  const valid =
    Array.isArray(steps) &&
    steps.length > 0 &&
    steps.every(
      (step, i) =>
        numberProblem(step, { min: 1, max: 100, integer: true }) === undefined && (i === 0 || step > steps[i - 1]),
    );
  if (!valid) problems.push(`${where}.steps: must be increasing whole percents from 1 to 100`);
  const dwellProblem = numberProblem(dwellMs, { min: 0, max: 7 * 24 * 3_600_000, integer: true });
  if (dwellProblem) problems.push(`${where}.dwellMs: ${dwellProblem}`);
  return valid && !dwellProblem ? { steps: steps as number[], dwellMs: dwellMs as number } : undefined;
}

export function weightProblem(value: unknown): string | undefined {
  return numberProblem(value, { min: 0, max: 100, integer: true });
}
