import { Injectable } from '@nestjs/common';
import { ApplyEventsResult, RelayedEvent } from '@app/contracts';
import { SerialQueue, applyInOrder } from '@app/transport';
import { PreferencesService } from './preferences.service';
import { TagsService } from './tags.service';

/** Applies the event stream to the service's store, in the same queue as the service's own writes. */
@Injectable()
export class TaggingStreamService {
  constructor(
    private readonly tags: TagsService,
    private readonly preferences: PreferencesService,
    private readonly writes: SerialQueue,
  ) {}

  apply(events: readonly RelayedEvent[]): Promise<ApplyEventsResult> {
    return this.writes.run(() =>
      applyInOrder(events, { ...this.tags.eventHandlers, ...this.preferences.eventHandlers }),
    );
  }

  /** Empties the store, before a full replay. */
  reset(): Promise<void> {
    return this.writes.run(async () => {
      await Promise.all([this.tags.clear(), this.preferences.clear()]);
    });
  }
}
