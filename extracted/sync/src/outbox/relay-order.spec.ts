import { DomainEvent, EVENTS } from '@app/contracts';
import { RecentIds, eventsToLog } from './relay-order';

function event(id: string, aggregate = 'post:a'): DomainEvent {
  return {
    id,
    type: EVENTS.engagementRecorded,
    aggregate,
    at: 1,
    origin: 'monolith',
    payload: { post_id: 'a', user: 'ann', kind: 'like' },
  };
}

describe('RecentIds', () => {
  it('remembers what was added', () => {
    const ids = new RecentIds(3);
    ids.add('e1');
    expect([ids.has('e1'), ids.has('e2')]).toEqual([true, false]);
  });

  it('forgets the oldest id once over capacity, and keeps the rest', () => {
    const ids = new RecentIds(2);
    ['e1', 'e2', 'e3'].forEach((id) => ids.add(id));
    expect(['e1', 'e2', 'e3'].map((id) => ids.has(id))).toEqual([false, true, true]);
  });
});

describe('eventsToLog', () => {
  it('keeps the events in the order read, whole', () => {
    expect(eventsToLog([event('e1'), event('e2', 'post:b')], new RecentIds(10))).toEqual([
      event('e1'),
      event('e2', 'post:b'),
    ]);
  });

  it('logs an event read twice in one pass once, where it was first read', () => {
    const logged = eventsToLog([event('e1'), event('e2'), event('e1')], new RecentIds(10));
    expect(logged.map(({ id }) => id)).toEqual(['e1', 'e2']);
  });

  it('skips events logged by an earlier pass', () => {
    const recent = new RecentIds(10);
    recent.add('e1');
    expect(eventsToLog([event('e1'), event('e2')], recent).map(({ id }) => id)).toEqual(['e2']);
  });
});
