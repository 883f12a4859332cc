import { NatsConnection, Subscription, connect } from 'nats';

/**
 * Tells the relay that an outbox got a new entry, so it drains at once
 * instead of at its next poll. Best effort: a lost signal only means the
 * entry waits for that poll.
 */
export class OutboxSignal {
  private constructor(
    private readonly connection: NatsConnection,
    private readonly subject: string,
  ) {}

  /** `stream` names the event log the relay fills: stacks sharing a server keep apart. */
  static async open(url: string, stream: string): Promise<OutboxSignal> {
    const connection = await connect({
      servers: url,
      name: `outbox-signal:${stream}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    return new OutboxSignal(connection, `${stream}-outbox`);
  }

  wake(): void {
    if (!this.connection.isClosed()) this.connection.publish(this.subject);
  }

  /** Calls `listener` on every signal until the returned subscription is unsubscribed. */
  onWake(listener: () => void): Subscription {
    return this.connection.subscribe(this.subject, { callback: () => listener() });
  }

  async close(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain();
  }
}
