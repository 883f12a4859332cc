import type { RelayedEvent } from '@app/contracts';
import type { Delivery, LogConsumer } from './event-log';

export interface ConsumeOptions {
  /** Events per delivery, at most. */
  batch: number;
  /** The log's ack wait: a delivery still being applied is kept alive at half of it. */
  ackWaitMs: number;
  /** First pause after a failure; it doubles up to MAX_BACKOFF_MS. */
  retryMs: number;
  /** Stops the loop; a delivery not yet applied is left unacknowledged and comes again later. */
  signal: AbortSignal;
  onError: (error: unknown, stage: 'read' | 'apply') => void;
  onApplied?: (count: number) => void;
}

const MAX_BACKOFF_MS = 2000;
/** How long one wait for new events lasts; the loop checks for a stop in between. */
const WAIT_MS = 1000;

/** Waits `ms`, or less when `signal` aborts first. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Feeds a durable consumer's events to `apply`, in order, at least once:
 * a delivery is acknowledged only once `apply` resolved, and is offered to
 * `apply` again until it does. `apply` must therefore skip what it applied
 * before (consumers do, by per-document version). `open` is retried until
 * the log answers, so a consumer starts before the log's server does.
 */
export async function consume(
  open: () => Promise<LogConsumer>,
  apply: (events: RelayedEvent[]) => Promise<unknown>,
  options: ConsumeOptions,
): Promise<void> {
  let consumer: LogConsumer | undefined;
  let backoff = options.retryMs;
  while (!options.signal.aborted) {
    try {
      consumer ??= await open();
      const delivery = await consumer.next(options.batch, WAIT_MS, options.signal);
      if (delivery.events.length > 0) await applyUntilDone(delivery, apply, options);
      backoff = options.retryMs;
    } catch (error) {
      options.onError(error, 'read');
      // Opened again: events of a delivery whose ack was lost must come back before later ones.
      consumer = undefined;
      await pause(backoff, options.signal);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }
}

async function applyUntilDone(
  delivery: Delivery,
  apply: (events: RelayedEvent[]) => Promise<unknown>,
  options: ConsumeOptions,
): Promise<void> {
  // A slow consumer keeps its events: the log must not hand them out again meanwhile.
  const keepAlive = setInterval(() => delivery.extend(), options.ackWaitMs / 2);
  let backoff = options.retryMs;
  try {
    while (!options.signal.aborted) {
      try {
        await apply(delivery.events);
      } catch (error) {
        options.onError(error, 'apply');
        await pause(backoff, options.signal);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        continue;
      }
      await delivery.ack();
      options.onApplied?.(delivery.events.length);
      return;
    }
  } finally {
    clearInterval(keepAlive);
  }
}
