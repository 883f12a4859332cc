import type { DomainEvent, RelayedEvent } from '@app/contracts';

/** Where a durable consumer stands in the log. */
export interface ConsumerStatus {
  name: string;
  /** Events in the log the consumer has not been sent yet. */
  pending: number;
  /** Events sent and awaiting an acknowledgement. */
  awaitingAck: number;
  /** Every event up to this position is acknowledged. */
  ackFloor: number;
  /** Events sent more than once so far. */
  redelivered: number;
}

/** Events handed to a consumer, in log order, to be acknowledged once applied. */
export interface Delivery {
  readonly events: RelayedEvent[];
  /** Marks every event of the delivery as applied: they are not sent again. */
  ack(): Promise<void>;
  /** Tells the log the events are still being worked on, so it does not send them again yet. */
  extend(): void;
}

/** A durable consumer: it resumes after its last acknowledged event, also after a crash. */
export interface LogConsumer {
  /**
   * The next events after the last delivery, at most `max`, waiting up to
   * `waitMs` for the first. Events sent before and never acknowledged come
   * again, before any later one: a consumer has one delivery out at a time.
   * `signal` ends a wait early (an empty delivery).
   */
  next(max: number, waitMs: number, signal?: AbortSignal): Promise<Delivery>;
}

/**
 * The ordered, durable log of domain events between the monolith's outboxes
 * and the consumers. Positions start at 1 and only grow; an event keeps its
 * position for every consumer and every replay.
 */
export interface EventLog {
  /**
   * Appends events in the given order. An event whose id was appended
   * recently (within the log's deduplication window) is not appended again,
   * so a relay that crashed after appending can safely append again. When
   * one is refused the call rejects, and no later event of the same
   * aggregate is appended ahead of it (events of other aggregates may be:
   * their order relative to it does not matter).
   */
  append(events: readonly DomainEvent[]): Promise<void>;
  /** The position of the last event, 0 when empty. */
  head(): Promise<number>;
  /** Opens the named durable consumer, created at the log's start if new. */
  consumer(name: string): Promise<LogConsumer>;
  /** Every durable consumer's position. */
  status(): Promise<ConsumerStatus[]>;
  /** Makes the named consumer receive every event from position `from` on again (1: the whole log). */
  replay(name: string, from: number): Promise<void>;
  close(): Promise<void>;
}
