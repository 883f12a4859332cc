import type { Answer } from './json-diff';

/** Distinct sets of differing fields kept per route; rarer ones past this are counted together. */
const MAX_SIGNATURES = 500;
/** Example pairs kept per route, and how much of each body. */
export const MAX_EXAMPLES = 5;
const EXAMPLE_BODY_CHARS = 2_048;
/** Separates paths in a signature; JSON keys could hold anything else. */
const SEPARATOR = '\u0000';
const OTHER = `${SEPARATOR}other`;

export interface ShadowExample {
  at: string;
  url: string;
  paths: string[];
  target: Answer;
  candidate: Answer;
}

export interface ShadowReport {
  compared: number;
  matched: number;
  matchRate: number | null;
  /** Requests not shadowed because too many were in flight. */
  skipped: number;
  /** Shadowed requests where the candidate (or the target's second answer) failed or timed out. */
  failed: number;
  /** Fields the target varies between two answers to the same request: left out of the comparison. */
  noiseFields: string[];
  fields: { path: string; count: number; rate: number }[];
  examples: ShadowExample[];
}

function cut(answer: Answer): Answer {
  return answer.body.length <= EXAMPLE_BODY_CHARS
    ? answer
    : { status: answer.status, body: `${answer.body.slice(0, EXAMPLE_BODY_CHARS)}…` };
}

/**
 * What a route's shadow has seen, in bounded memory. Each comparison is kept
 * as its set of differing fields (counted per distinct set), so fields learned
 * as noise later are taken out of earlier comparisons too: a comparison
 * matches when every field it differs in is noise.
 */
export class ShadowStats {
  private readonly signatures = new Map<string, number>();
  private readonly noise = new Set<string>();
  private readonly examples: ShadowExample[] = [];
  private compared = 0;
  skipped = 0;
  failed = 0;

  get comparedSoFar(): number {
    return this.compared;
  }

  /** Records one comparison; true when it differs in a field that is not (yet) known as noise. */
  compare(url: string, target: Answer, candidate: Answer, paths: readonly string[]): boolean {
    this.compared++;
    const key = paths.length === 0 ? '' : [...paths].sort().join(SEPARATOR);
    const known = this.signatures.has(key) || this.signatures.size < MAX_SIGNATURES;
    const slot = known ? key : OTHER;
    this.signatures.set(slot, (this.signatures.get(slot) ?? 0) + 1);
    const real = paths.filter((path) => !this.noise.has(path));
    if (real.length > 0) {
      if (this.examples.length === MAX_EXAMPLES) this.examples.shift();
      this.examples.push({
        at: new Date().toISOString(),
        url,
        paths: real,
        target: cut(target),
        candidate: cut(candidate),
      });
    }
    return real.length > 0;
  }

  /** Fields the target itself varied between two answers to one request. */
  learnNoise(paths: readonly string[]): void {
    for (const path of paths) this.noise.add(path);
  }

  report(): ShadowReport {
    let matched = 0;
    const counts = new Map<string, number>();
    for (const [signature, count] of this.signatures) {
      const real = signature === '' ? [] : signature.split(SEPARATOR).filter((path) => path && !this.noise.has(path));
      if (signature === OTHER) continue;
      if (real.length === 0) matched += count;
      for (const path of real) counts.set(path, (counts.get(path) ?? 0) + count);
    }
    const compared = this.compared;
    const fields = [...counts]
      .map(([path, count]) => ({ path, count, rate: count / compared }))
      .sort((a, b) => b.count - a.count || a.path.localeCompare(b.path));
    return {
      compared,
      matched,
      matchRate: compared === 0 ? null : matched / compared,
      skipped: this.skipped,
      failed: this.failed,
      noiseFields: [...this.noise].sort(),
      fields,
      examples: this.examples
        .map((example) => ({ ...example, paths: example.paths.filter((path) => !this.noise.has(path)) }))
        .filter((example) => example.paths.length > 0),
    };
  }
}
