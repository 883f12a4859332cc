import { MongoClient } from 'mongodb';
import { PATTERNS } from '@app/contracts';
import { ConfigError, loadConfig } from '@app/config';
import { createServiceClient, isServiceName } from '@app/transport';
import { EventLogRepository } from '../log/event-log.repository';
import { SyncConfig } from '../sync.config';

const USAGE = `usage: npm run sync -- replay --service <name> [--from <position>]
       npm run sync -- status

replay   re-delivers the event stream to one consumer. Without --from, the
         service's own data is emptied first and rebuilt from position 1 (also
         how a new service is backfilled). With --from, events from that
         position on are delivered again; already applied ones are skipped.
status   prints the log's last position and every consumer's checkpoint.`;

class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  return value;
}

async function replay(log: EventLogRepository, config: SyncConfig, args: string[]): Promise<string> {
  const service = option(args, '--service');
  if (!service) throw new UsageError('replay needs --service <name>');
  if (service !== 'monolith' && !isServiceName(service)) throw new UsageError(`unknown service "${service}"`);
  const fromText = option(args, '--from');
  const from = fromText === undefined ? 1 : Number(fromText);
  if (!Number.isInteger(from) || from < 1) throw new UsageError('--from must be a whole number of at least 1');
  if (fromText === undefined && isServiceName(service)) {
    const client = createServiceClient(service, config);
    try {
      await client.send(PATTERNS[service].reset, {});
    } finally {
      await client.close();
    }
  }
  await log.rewind(service, from - 1);
  return `${service}: replaying from position ${from} (the running relay delivers it)`;
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'replay' && command !== 'status')
    throw new UsageError(command ? `unknown command "${command}"` : 'no command');
  const config = loadConfig(SyncConfig);
  const client = await MongoClient.connect(config.MONGO_URL);
  try {
    const log = new EventLogRepository(client, config);
    if (command === 'replay') {
      process.stdout.write(`${await replay(log, config, rest)}\n`);
    } else {
      const head = await log.head();
      const checkpoints = await log.checkpoints();
      process.stdout.write(`log position: ${head}\n`);
      for (const [consumer, position] of Object.entries(checkpoints)) {
        if (consumer !== 'head') process.stdout.write(`${consumer.padEnd(16)} ${position} (lag ${head - position})\n`);
      }
    }
    return 0;
  } finally {
    await client.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
