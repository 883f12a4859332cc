import { MongoClient } from 'mongodb';
import { UsageError, loadConfig, parseCommandLine, runCommand, runningStackEnv } from '@app/config';
import { formatDrift, hasDrift } from '../reconcile/drift';
import { RECONCILED_SERVICES, isReconciledService, reconcile } from '../reconcile/reconcile';
import { SyncConfig } from '../sync.config';

const USAGE = `usage: npm run reconcile -- <service>
  compares the service's copy of the data with the monolith's and prints the
  drift (missing, extra, different); exits 1 when there is any.
  services: ${RECONCILED_SERVICES.join(', ')}`;

async function main(args: string[]): Promise<number> {
  const { positionals } = parseCommandLine(args, {});
  const [service] = positionals;
  if (positionals.length !== 1) throw new UsageError(service ? 'give exactly one service' : 'no service');
  if (!isReconciledService(service)) throw new UsageError(`unknown service "${service}"`);
  const config = loadConfig(SyncConfig, runningStackEnv(['MONGO_URL']));
  const client = await MongoClient.connect(config.MONGO_URL);
  try {
    const drifts = await reconcile(client, config, service);
    process.stdout.write(`${formatDrift(service, drifts)}\n`);
    return hasDrift(drifts) ? 1 : 0;
  } finally {
    await client.close();
  }
}

runCommand(USAGE, main);
