import { Inject, Injectable } from '@nestjs/common';
import type { MongoClient } from 'mongodb';
import { MONGO_CLIENT } from '@app/data';
import { SyncConfig } from '../sync.config';
import { DriftSummary, hasDrift, summarizeDrift } from './drift';
import { RECONCILED_SERVICES, reconcile } from './reconcile';

export interface ServiceDrift {
  service: string;
  drift: boolean;
  projections: DriftSummary[];
}

export interface DriftReport {
  /** When the comparison started. */
  at: string;
  services: ServiceDrift[];
}

/**
 * `npm run reconcile` for every service the relay feeds, over HTTP. A
 * comparison reads whole collections, so callers arriving while one runs
 * share its answer rather than start another.
 */
@Injectable()
export class ReconcileService {
  private running?: Promise<DriftReport>;

  constructor(
    @Inject(MONGO_CLIENT) private readonly client: MongoClient,
    private readonly config: SyncConfig,
  ) {}

  report(): Promise<DriftReport> {
    this.running ??= this.compare().finally(() => (this.running = undefined));
    return this.running;
  }

  private async compare(): Promise<DriftReport> {
    const at = new Date().toISOString();
    const fed = this.config.SYNC_CONSUMERS.split(',');
    const services: ServiceDrift[] = [];
    for (const service of RECONCILED_SERVICES.filter((name) => fed.includes(name))) {
      const drifts = await reconcile(this.client, this.config, service);
      services.push({ service, drift: hasDrift(drifts), projections: drifts.map(summarizeDrift) });
    }
    return { at, services };
  }
}
