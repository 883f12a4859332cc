import type { MongoClient } from 'mongodb';
import { SyncConfig } from '../sync.config';
import { Drift, driftOf } from './drift';
import { PROJECTIONS } from './projections';
import { readSide } from './reconcile.repository';

/** The variable naming each service's own database. */
const SERVICE_DB_KEYS = {
  search: 'SEARCH_DB',
  recommendations: 'RECOMMENDATIONS_DB',
  tagging: 'TAGGING_DB',
  engagement: 'ENGAGEMENT_DB',
} as const;

export type ReconciledService = keyof typeof SERVICE_DB_KEYS;

export const RECONCILED_SERVICES = Object.keys(SERVICE_DB_KEYS) as ReconciledService[];

export function isReconciledService(name: string): name is ReconciledService {
  return name in SERVICE_DB_KEYS;
}

/** Compares every projection a service copies with the monolith's records, one projection at a time. */
export async function reconcile(client: MongoClient, config: SyncConfig, service: ReconciledService): Promise<Drift[]> {
  const monolith = client.db(config.MONOLITH_DB);
  const own = client.db(config[SERVICE_DB_KEYS[service]]);
  const drifts: Drift[] = [];
  for (const projection of PROJECTIONS[service]) {
    const [left, right] = await Promise.all([
      readSide(monolith, projection, 'monolith'),
      readSide(own, projection, 'service'),
    ]);
    drifts.push(driftOf(projection, left, right));
  }
  return drifts;
}
