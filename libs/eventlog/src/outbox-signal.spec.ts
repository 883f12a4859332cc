import { randomUUID } from 'node:crypto';
import { OutboxSignal } from './outbox-signal';
import { TEST_NATS_URL } from '../../../test/support/event-stream';

describe('OutboxSignal', () => {
  it('wakes a listener of the same stream, not one of another stream', async () => {
    const stream = `signal-${randomUUID().slice(0, 8)}`;
    const relay = new OutboxSignal(TEST_NATS_URL, stream);
    const other = new OutboxSignal(TEST_NATS_URL, `${stream}-other`);
    const writer = new OutboxSignal(TEST_NATS_URL, stream);
    let otherWoken = false;
    other.onWake(() => (otherWoken = true));
    const woken = new Promise<void>((resolve) => relay.onWake(resolve));
    // The writer keeps signalling until the relay's subscription is in place.
    const signalling = setInterval(() => writer.wake(), 20);
    try {
      await woken;
    } finally {
      clearInterval(signalling);
      await Promise.all([relay.close(), other.close(), writer.close()]);
    }
    expect(otherWoken).toBe(false);
  });

  it('lets a writer signal while no server is reachable, without failing or keeping the process alive', async () => {
    const writer = new OutboxSignal('nats://127.0.0.1:1', 'unreachable');
    expect(() => writer.wake()).not.toThrow();
    await writer.close();
  });
});
