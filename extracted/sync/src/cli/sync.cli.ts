import { PATTERNS } from '@app/contracts';
import {
  UsageError,
  integerOption,
  loadConfig,
  noExtraArguments,
  parseCommandLine,
  runCommand,
  runningStackEnv,
} from '@app/config';
import { createServiceClient, isServiceName } from '@app/transport';
import { EventLog, JetStreamEventLog, MONOLITH_CONSUMER } from '@app/eventlog';
import { SyncConfig } from '../sync.config';

const USAGE = `usage: npm run sync -- replay --service <name> [--from <position>]
       npm run sync -- status

replay   re-delivers the event log to one consumer. Without --from, the
         service's own data is emptied first and rebuilt from position 1 (also
         how a new service is backfilled). With --from, events from that
         position on are delivered again; already applied ones are skipped.
status   prints the log's last position and, for every consumer, its pending
         events, acknowledged floor and redeliveries.`;

interface Replay {
  service: string;
  /** Absent: rebuild the service's data from position 1. */
  from?: number;
}

/** What `replay` was asked to do, checked before anything is opened. */
function replayOf(service?: string, fromText?: string): Replay {
  if (!service) throw new UsageError('replay needs --service <name>');
  if (service !== MONOLITH_CONSUMER && !isServiceName(service)) throw new UsageError(`unknown service "${service}"`);
  if (fromText === undefined) return { service };
  return { service, from: integerOption(fromText, 'from', 1, Number.MAX_SAFE_INTEGER, 1) };
}

async function replay(log: EventLog, config: SyncConfig, { service, from }: Replay): Promise<string> {
  if (from === undefined && isServiceName(service)) {
    const client = createServiceClient(service, config);
    try {
      await client.send(PATTERNS[service].reset, {});
    } finally {
      await client.close();
    }
  }
  await log.replay(service, from ?? 1);
  return `${service}: replaying from position ${from ?? 1} (the running relay delivers it)`;
}

async function status(log: EventLog): Promise<string> {
  const [head, consumers] = await Promise.all([log.head(), log.status()]);
  const lines = [`log position: ${head}`];
  for (const consumer of consumers) {
    lines.push(
      `${consumer.name.padEnd(16)} acked up to ${consumer.ackFloor}, pending ${consumer.pending}, ` +
        `awaiting ack ${consumer.awaitingAck}, redelivered ${consumer.redelivered}`,
    );
  }
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { service: { type: 'string' }, from: { type: 'string' } });
  const [command] = positionals;
  if (command !== 'replay' && command !== 'status')
    throw new UsageError(command ? `unknown command "${command}"` : 'no command');
  noExtraArguments(positionals, 1);
  const asked = command === 'replay' ? replayOf(values.service, values.from) : undefined;
  const config = loadConfig(SyncConfig, runningStackEnv(['MONGO_URL']));
  const log = await JetStreamEventLog.open({ url: config.NATS_URL, stream: config.EVENT_STREAM });
  try {
    const output = asked ? await replay(log, config, asked) : await status(log);
    process.stdout.write(`${output}\n`);
    return 0;
  } finally {
    await log.close();
  }
}

runCommand(USAGE, main);
