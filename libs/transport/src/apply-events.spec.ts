import { EVENTS, EventName, RelayedEvent } from '@app/contracts';
import { BulkEventHandler, EventHandler, SerialQueue, applyInOrder } from './apply-events';

function relayed(position: number, type: EventName = EVENTS.postCreated): RelayedEvent {
  return {
    position,
    id: `e${position}`,
    type,
    aggregate: 'post:a',
    at: position,
    origin: 'monolith',
    payload: {} as never,
  };
}

/** A promise resolved from outside, to decide when a task finishes. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('applyInOrder', () => {
  it('hands events to their handlers in stream order, one finished before the next starts', async () => {
    const seen: string[] = [];
    const handler: EventHandler = async (event) => {
      seen.push(`start ${event.position}`);
      await Promise.resolve();
      seen.push(`end ${event.position}`);
      return true;
    };
    await applyInOrder([relayed(1), relayed(2)], { [EVENTS.postCreated]: handler });
    expect(seen).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('counts an event its handler applied, and one applied before as skipped', async () => {
    const applied = new Set([2]);
    const result = await applyInOrder([relayed(1), relayed(2), relayed(3)], {
      [EVENTS.postCreated]: async (event) => !applied.has(event.position),
    });
    expect(result).toEqual({ applied: 2, skipped: 1 });
  });

  it('hands each run of consecutive events of a bulk handler to it at once, between the others in order', async () => {
    const seen: string[] = [];
    const posts: BulkEventHandler = {
      bulk: async (events) => {
        seen.push(`bulk ${events.map((event) => event.position).join(',')}`);
        return events.map((event) => event.position !== 2);
      },
    };
    const result = await applyInOrder(
      [relayed(1), relayed(2, EVENTS.postUpdated), relayed(3, EVENTS.postTagged), relayed(4), relayed(5)],
      {
        [EVENTS.postCreated]: posts,
        [EVENTS.postUpdated]: posts,
        [EVENTS.postTagged]: async (event) => {
          seen.push(`one ${event.position}`);
          return true;
        },
      },
    );
    expect(seen).toEqual(['bulk 1,2', 'one 3', 'bulk 4,5']);
    expect(result).toEqual({ applied: 4, skipped: 1 });
  });

  it('skips events the service does not consume', async () => {
    const result = await applyInOrder([relayed(1, EVENTS.postTagged), relayed(2)], {
      [EVENTS.postCreated]: async () => true,
    });
    expect(result).toEqual({ applied: 1, skipped: 1 });
  });

  it('stops at a failing handler, leaving the later events unapplied', async () => {
    const seen: number[] = [];
    const run = applyInOrder([relayed(1), relayed(2), relayed(3)], {
      [EVENTS.postCreated]: async (event) => {
        seen.push(event.position);
        if (event.position === 2) throw new Error('store down');
        return true;
      },
    });
    await expect(run).rejects.toThrow('store down');
    expect(seen).toEqual([1, 2]);
  });
});

describe('SerialQueue', () => {
  it('starts a task only once the one before has finished, in call order', async () => {
    const queue = new SerialQueue();
    const first = gate();
    const log: string[] = [];
    const a = queue.run(async () => {
      log.push('a starts');
      await first.promise;
      log.push('a ends');
      return 'a';
    });
    const b = queue.run(async () => {
      log.push('b runs');
      return 'b';
    });
    await Promise.resolve();
    expect(log).toEqual(['a starts']);
    first.open();
    await expect(Promise.all([a, b])).resolves.toEqual(['a', 'b']);
    expect(log).toEqual(['a starts', 'a ends', 'b runs']);
  });

  it('gives each caller its own task failure and goes on with the next task', async () => {
    const queue = new SerialQueue();
    const failing = queue.run(async () => {
      throw new Error('reset failed');
    });
    const next = queue.run(async () => 'applied');
    await expect(failing).rejects.toThrow('reset failed');
    await expect(next).resolves.toBe('applied');
  });
});
