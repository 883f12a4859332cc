import {
  AckPolicy,
  DeliverPolicy,
  JSONCodec,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
  NatsConnection,
  NatsError,
  RetentionPolicy,
  StorageType,
  connect,
  nanos,
} from 'nats';
import type { DomainEvent, RelayedEvent } from '@app/contracts';
import { pause } from './consume';
import type { ConsumerStatus, Delivery, EventLog, LogConsumer } from './event-log';

export interface JetStreamLogOptions {
  /** NATS server(s) with JetStream enabled. */
  url: string;
  /** Stream name; its subjects are `<stream>.<event type>`. */
  stream: string;
  /** How long an unacknowledged event waits before it is sent again. */
  ackWaitMs?: number;
  /** How long an appended event id is remembered to refuse a duplicate. */
  duplicateWindowMs?: number;
}

export const DEFAULT_ACK_WAIT_MS = 10_000;
const DEFAULT_DUPLICATE_WINDOW_MS = 10 * 60_000;
/** Publishes awaiting the server's acknowledgement at once, at most. */
const PUBLISHES_IN_FLIGHT = 256;
/** Events one consumer may have unacknowledged at most. */
const MAX_ACK_PENDING = 1000;

const codec = JSONCodec<DomainEvent>();

/** JetStream's "not found" answers (stream or consumer). */
function isNotFound(error: unknown): boolean {
  return error instanceof NatsError && (error.api_error?.code === 404 || /not found/i.test(error.message));
}

/** The event log on a NATS JetStream stream; each consumer is a durable pull consumer with explicit acks. */
export class JetStreamEventLog implements EventLog {
  private constructor(
    private readonly connection: NatsConnection,
    private readonly manager: JetStreamManager,
    private readonly client: JetStreamClient,
    private readonly options: Required<JetStreamLogOptions>,
  ) {}

  /** Connects and creates the stream if it does not exist yet. */
  static async open(options: JetStreamLogOptions): Promise<JetStreamEventLog> {
    const connection = await connect({
      servers: options.url,
      name: `event-log:${options.stream}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      // Otherwise every publish and fetch builds an Error only to keep its caller's stack: a tenth of the relay's CPU.
      noAsyncTraces: true,
    });
    try {
      const manager = await connection.jetstreamManager();
      const log = new JetStreamEventLog(connection, manager, connection.jetstream(), {
        ackWaitMs: DEFAULT_ACK_WAIT_MS,
        duplicateWindowMs: DEFAULT_DUPLICATE_WINDOW_MS,
        ...options,
      });
      await log.ensureStream();
      return log;
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  private async ensureStream(): Promise<void> {
    const { stream, duplicateWindowMs } = this.options;
    try {
      await this.manager.streams.info(stream);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.manager.streams.add({
        name: stream,
        subjects: [`${stream}.>`],
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        duplicate_window: nanos(duplicateWindowMs),
      });
    }
  }

  /**
   * Publishes a window of events at a time without waiting for each
   * acknowledgement in turn; within a window each aggregate's events go one
   * after another, so that a refused one is never overtaken by a later one of
   * its aggregate. The next window starts once the last is stored.
   */
  async append(events: readonly DomainEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += PUBLISHES_IN_FLIGHT) {
      const byAggregate = new Map<string, DomainEvent[]>();
      for (const event of events.slice(start, start + PUBLISHES_IN_FLIGHT)) {
        const run = byAggregate.get(event.aggregate);
        if (run) run.push(event);
        else byAggregate.set(event.aggregate, [event]);
      }
      const outcomes = await Promise.allSettled([...byAggregate.values()].map((run) => this.publishInTurn(run)));
      const refused = outcomes.find((outcome) => outcome.status === 'rejected');
      if (refused) throw refused.reason;
    }
  }

  private async publishInTurn(events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) {
      await this.client.publish(`${this.options.stream}.${event.type}`, codec.encode(event), { msgID: event.id });
    }
  }

  async head(): Promise<number> {
    return (await this.manager.streams.info(this.options.stream)).state.last_seq;
  }

  async consumer(name: string): Promise<LogConsumer> {
    try {
      await this.manager.consumers.info(this.options.stream, name);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.createConsumer(name, 1);
    }
    return new JetStreamConsumer(this.client, this.manager, this.options, name);
  }

  private async createConsumer(name: string, from: number): Promise<void> {
    await this.manager.consumers.add(this.options.stream, {
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(this.options.ackWaitMs),
      max_ack_pending: MAX_ACK_PENDING,
      ...(from <= 1
        ? { deliver_policy: DeliverPolicy.All }
        : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from }),
    });
  }

  async status(): Promise<ConsumerStatus[]> {
    const statuses: ConsumerStatus[] = [];
    for await (const info of this.manager.consumers.list(this.options.stream)) {
      statuses.push({
        name: info.name,
        pending: info.num_pending,
        awaitingAck: info.num_ack_pending,
        ackFloor: info.ack_floor.stream_seq,
        redelivered: info.num_redelivered,
      });
    }
    return statuses.sort((a, b) => a.name.localeCompare(b.name));
  }

  async replay(name: string, from: number): Promise<void> {
    try {
      await this.manager.consumers.delete(this.options.stream, name);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    await this.createConsumer(name, from);
  }

  /** Removes the stream and every consumer (tests and throwaway stacks). */
  async destroy(): Promise<void> {
    try {
      await this.manager.streams.delete(this.options.stream);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  async close(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain();
  }
}

class JetStreamConsumer implements LogConsumer {
  /** Set until the first delivery: events a crashed predecessor left unacknowledged must come first. */
  private awaitingPredecessor = true;

  constructor(
    private readonly client: JetStreamClient,
    private readonly manager: JetStreamManager,
    private readonly options: Required<JetStreamLogOptions>,
    private readonly name: string,
  ) {}

  async next(max: number, waitMs: number, signal?: AbortSignal): Promise<Delivery> {
    if (this.awaitingPredecessor) await this.awaitPredecessorsEvents(signal);
    let messages = await this.available(max);
    if (messages.length === 0) {
      // Nothing yet: wait for one event, then take whatever else has arrived with it.
      const consumer = await this.client.consumers.get(this.options.stream, this.name);
      const first = await consumer.next({ expires: Math.max(waitMs, 1000) });
      if (first) messages = [first, ...(max > 1 ? await this.available(max - 1) : [])];
    }
    // Sent again after a crash, an older event may share a fetch with newer ones.
    messages.sort((a, b) => a.seq - b.seq);
    const events = messages.map((message): RelayedEvent => ({ ...codec.decode(message.data), position: message.seq }));
    return {
      events,
      ack: async () => {
        // Acknowledged in order; the last one is confirmed, so a status read afterwards sees them all.
        messages.slice(0, -1).forEach((message) => message.ack());
        await messages.at(-1)?.ackAck();
      },
      extend: () => messages.forEach((message) => message.working()),
    };
  }

  /** Up to `max` events already waiting, without waiting for more. */
  private async available(max: number): Promise<JsMsg[]> {
    const messages: JsMsg[] = [];
    for await (const message of this.client.fetch(this.options.stream, this.name, { batch: max, no_wait: true })) {
      messages.push(message);
    }
    return messages;
  }

  /**
   * Events handed to a consumer that died before acknowledging them are sent
   * again only once their ack wait is over; fetching before then would hand
   * out later events first and break the order per aggregate.
   */
  private async awaitPredecessorsEvents(signal?: AbortSignal): Promise<void> {
    const info = await this.manager.consumers.info(this.options.stream, this.name);
    // The consumer's own ack wait: it may have been created with another than this process's.
    if (info.num_ack_pending > 0)
      await pause((info.config.ack_wait ?? nanos(this.options.ackWaitMs)) / 1_000_000 + 500, signal);
    this.awaitingPredecessor = false;
  }
}
