import { Inject, Injectable } from '@nestjs/common';
import { AppLogger, LOGGER } from '@app/observability';
import { DomainError } from '@app/platform';
import { GatewayConfig } from '../gateway.config';

/** A comparison reads whole collections of every service; on a slow store that takes a while. */
const DRIFT_TIMEOUT_MS = 120_000;

/** Asks the relay (extracted/sync, GET /reconcile) for every service's drift from the monolith. */
@Injectable()
export class DriftClient {
  private readonly url?: string;

  constructor(
    config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {
    this.url = config.SYNC_URL ? `${config.SYNC_URL.replace(/\/$/, '')}/reconcile` : undefined;
  }

  async report(): Promise<unknown> {
    if (!this.url) {
      throw new DomainError(
        503,
        'the gateway does not know the relay (SYNC_URL is unset): run npm run reconcile -- <service> instead',
      );
    }
    let res: Response;
    try {
      res = await fetch(this.url, { signal: AbortSignal.timeout(DRIFT_TIMEOUT_MS) });
    } catch (error) {
      this.logger.warn({ url: this.url, err: (error as Error).message }, 'relay unreachable for a drift report');
      throw new DomainError(503, 'the relay could not be asked for the drift; try again');
    }
    const body = (await res.json().catch(() => undefined)) as { message?: string } | undefined;
    if (res.ok && body) return body;
    this.logger.warn({ status: res.status, message: body?.message }, 'relay refused a drift report');
    throw new DomainError(502, `the relay answered ${res.status} to a drift report; try again`);
  }
}
