import { NatsConnection, connect } from 'nats';

/** Pause between attempts to reach the server while it is not there. */
const RETRY_MS = 2000;

/**
 * Tells the relay that an outbox got a new entry, so it drains at once
 * instead of at its next poll. Best effort on both sides: a signal lost
 * (the server is down, or not reached yet) only means the entry waits for
 * that poll, so a writer never waits for the server nor fails without it.
 */
export class OutboxSignal {
  private readonly subject: string;
  private connection?: NatsConnection;
  private listener?: () => void;
  private closed = false;
  private retry?: NodeJS.Timeout;

  /** `stream` names the event log the relay fills: stacks sharing a server keep apart. */
  constructor(
    private readonly url: string,
    stream: string,
  ) {
    this.subject = `${stream}-outbox`;
    void this.connect();
  }

  private async connect(): Promise<void> {
    try {
      const connection = await connect({
        servers: this.url,
        name: `outbox-signal:${this.subject}`,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
      });
      if (this.closed) return void (await connection.close());
      this.connection = connection;
      if (this.listener) this.subscribe(this.listener);
    } catch {
      if (this.closed) return;
      this.retry = setTimeout(() => void this.connect(), RETRY_MS);
      // Retrying must not keep a finished process alive.
      this.retry.unref();
    }
  }

  wake(): void {
    if (this.connection && !this.connection.isClosed()) this.connection.publish(this.subject);
  }

  /** Calls `listener` on every signal, from when the server is reached until close. */
  onWake(listener: () => void): void {
    this.listener = listener;
    if (this.connection) this.subscribe(listener);
  }

  private subscribe(listener: () => void): void {
    this.connection?.subscribe(this.subject, { callback: () => listener() });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    if (this.connection && !this.connection.isClosed()) await this.connection.drain();
  }
}
