import type { ResponseObserver } from './measure';
import type { FlipPhase, PhaseCounts } from './result';
import { AdminError, setRoute, Stack } from './stack';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const noCounts = (): PhaseCounts => ({ requests: 0, non2xx: 0, errors: 0, fallbacks: 0, servedBy: {} });

function count(counts: PhaseCounts, status: number, servedBy: string, fallback: boolean): void {
  counts.requests++;
  if (status < 200 || status > 299) counts.non2xx++;
  if (fallback) counts.fallbacks++;
  counts.servedBy[servedBy] = (counts.servedBy[servedBy] ?? 0) + 1;
}

/**
 * Flips one gateway route between two targets through the admin API while
 * load runs, and counts every response and failed request against the phase
 * (the stretch between two flips) in which it arrived: all of them, and
 * separately those of the flipped route's endpoints.
 */
export class RouteFlipper implements ResponseObserver {
  readonly phases: FlipPhase[] = [];
  /** Flips the gateway refused: the route stayed where it was. */
  refused = 0;
  private readonly startedAt = performance.now();

  constructor(
    private readonly stack: Stack,
    readonly route: string,
    private readonly targets: readonly [string, string],
    private readonly everySeconds: number,
    private readonly routeEndpoints: ReadonlySet<string>,
  ) {
    this.open(targets[0], 0);
  }

  response(endpoint: string, status: number, servedBy: string, fallback: boolean): void {
    count(this.current.all, status, servedBy, fallback);
    if (this.routeEndpoints.has(endpoint)) count(this.current.route, status, servedBy, fallback);
  }

  error(endpoint: string): void {
    this.current.all.errors++;
    if (this.routeEndpoints.has(endpoint)) this.current.route.errors++;
  }

  /** Flips on a fixed schedule, every `everySeconds` from the start, until `load` settles; then closes the last phase. */
  async run(load: Promise<unknown>): Promise<void> {
    let done = false;
    const finished = load.then(
      () => (done = true),
      () => (done = true),
    );
    for (let flip = 1; ; flip++) {
      const due = flip * this.everySeconds - this.elapsed();
      await Promise.race([sleep(Math.max(0, due) * 1000), finished]);
      if (done) break;
      const target = this.targets[flip % 2];
      try {
        this.open(target, await setRoute(this.stack, this.route, target));
      } catch (error) {
        // A consistent cutover of a write route is refused while its new owner cannot catch up.
        if (!(error instanceof AdminError && (error.status === 503 || error.status === 504))) throw error;
        this.refused++;
      }
    }
    this.current.endSeconds = this.elapsed();
  }

  private get current(): FlipPhase {
    return this.phases[this.phases.length - 1];
  }

  private elapsed(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  private open(target: string, flipMs: number): void {
    const now = this.elapsed();
    if (this.phases.length > 0) this.current.endSeconds = now;
    this.phases.push({
      index: this.phases.length,
      target,
      startSeconds: now,
      endSeconds: now,
      flipMs,
      all: noCounts(),
      route: noCounts(),
    });
  }
}
