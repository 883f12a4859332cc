import { MongoClient } from 'mongodb';
import { UsageError, loadConfig, parseCommandLine, runCommand } from '@app/config';
import { driftOf, formatDrift, hasDrift } from '../reconcile/drift';
import { PROJECTIONS } from '../reconcile/projections';
import { readSide } from '../reconcile/reconcile.repository';
import { SyncConfig } from '../sync.config';

const USAGE = `usage: npm run reconcile -- <service>
  compares the service's copy of the data with the monolith's and prints the
  drift (missing, extra, different); exits 1 when there is any.
  services: ${Object.keys(PROJECTIONS).join(', ')}`;

const SERVICE_DB_KEYS = {
  search: 'SEARCH_DB',
  recommendations: 'RECOMMENDATIONS_DB',
  tagging: 'TAGGING_DB',
  engagement: 'ENGAGEMENT_DB',
} as const;

async function main(args: string[]): Promise<number> {
  const { positionals } = parseCommandLine(args, {});
  const [service] = positionals;
  if (positionals.length !== 1) throw new UsageError(service ? 'give exactly one service' : 'no service');
  if (!(service in SERVICE_DB_KEYS)) throw new UsageError(`unknown service "${service}"`);
  const config = loadConfig(SyncConfig);
  const client = await MongoClient.connect(config.MONGO_URL);
  try {
    const monolith = client.db(config.MONOLITH_DB);
    const own = client.db(config[SERVICE_DB_KEYS[service as keyof typeof SERVICE_DB_KEYS]]);
    const drifts = [];
    for (const projection of PROJECTIONS[service]) {
      const [left, right] = await Promise.all([
        readSide(monolith, projection, 'monolith'),
        readSide(own, projection, 'service'),
      ]);
      drifts.push(driftOf(projection, left, right));
    }
    process.stdout.write(`${formatDrift(service, drifts)}\n`);
    return hasDrift(drifts) ? 1 : 0;
  } finally {
    await client.close();
  }
}

runCommand(USAGE, main);
