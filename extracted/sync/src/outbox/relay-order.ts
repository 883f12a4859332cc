import { DomainEvent } from '@app/contracts';

/**
 * The ids of the most recently logged events, at most `capacity` (the oldest
 * is forgotten first): enough to recognise a pass whose events were logged
 * but not yet pulled from their documents.
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
  }
}

/**
 * The events of one pass as they go to the log: each once (a document can be
 * read twice in a pass, announced by a pointer and by a batch), none logged
 * recently, in the order read.
 */
export function eventsToLog(events: readonly DomainEvent[], logged: RecentIds): DomainEvent[] {
  const unique = [...new Map(events.map((event) => [event.id, event])).values()];
  return unique.filter((event) => !logged.has(event.id));
}
