import { Inject, Injectable } from '@nestjs/common';
import { AppLogger, LOGGER } from '@app/observability';
import { DomainError } from '@app/platform';
import { GatewayConfig } from '../gateway.config';

/** A cutover that could not be confirmed: the route stays with its old owner. */
export class CutoverRefusedError extends DomainError {}

/**
 * Asks the relay (extracted/sync, POST /cutover) to confirm that a route's
 * new owner has applied every write announced so far.
 */
@Injectable()
export class CutoverClient {
  private readonly url?: string;

  constructor(
    config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {
    this.url = config.SYNC_URL ? `${config.SYNC_URL.replace(/\/$/, '')}/cutover` : undefined;
  }

  /** Without a relay configured, flips take effect at once and are not consistent cutovers. */
  get enabled(): boolean {
    return this.url !== undefined;
  }

  /**
   * Resolves once `owner` has caught up with the log. An owner the relay
   * does not feed has nothing to catch up with. Throws a CutoverRefusedError
   * when the relay says it did not catch up in time, or cannot be asked.
   */
  async awaitCaughtUp(route: string, owner: string, timeoutMs: number): Promise<void> {
    const refused = (status: number, why: string) =>
      new CutoverRefusedError(status, `route ${route} was not moved to ${owner}: ${why}`);
    let res: Response;
    try {
      res = await fetch(this.url as string, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ consumer: owner, timeoutMs }),
        // The relay answers 504 itself at timeoutMs; this only bounds a relay that hangs.
        signal: AbortSignal.timeout(timeoutMs + 1_000),
      });
    } catch (error) {
      this.logger.warn(
        { route, owner, url: this.url, err: (error as Error).message },
        'relay unreachable for a cutover',
      );
      throw refused(503, 'the relay could not be asked whether it has caught up; try again');
    }
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    if (res.ok) return;
    if (res.status === 404) {
      this.logger.warn({ route, owner }, 'the relay does not feed the new owner; it takes the route at once');
      return;
    }
    if (res.status === 504) throw refused(504, `${body.message ?? 'it did not catch up in time'}; try again`);
    this.logger.warn({ route, owner, status: res.status, message: body.message }, 'relay refused a cutover');
    throw refused(503, `the relay answered ${res.status}; try again`);
  }
}
