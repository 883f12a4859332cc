import { MongoClient } from 'mongodb';
import { ConfigError, loadConfig } from '@app/config';
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
  const service = args[0];
  if (args.length !== 1 || !(service in SERVICE_DB_KEYS)) {
    process.stderr.write(`${service ? `unknown service "${service}"\n\n` : ''}${USAGE}\n`);
    return 2;
  }
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
