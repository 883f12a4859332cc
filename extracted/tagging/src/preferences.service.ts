import { Injectable } from '@nestjs/common';
import { EVENTS, EventName, Preferences, PreferencesUpdatedPayload, domainEvent } from '@app/contracts';
import { distinctTags } from '@app/domain';
import { EventHandler, SerialQueue } from '@app/transport';
import { PreferencesRepository } from './preferences.repository';
import { TAGGING_ORIGIN } from './tagging.documents';

@Injectable()
export class PreferencesService {
  constructor(
    private readonly preferences: PreferencesRepository,
    private readonly writes: SerialQueue,
  ) {}

  /** A user's preferences; empty lists for a user who saved none. */
  async get(user: string): Promise<Preferences> {
    return (await this.preferences.findByUser(user)) ?? { user, tags: [], hiddenTags: [] };
  }

  /** Tag lists are stored as sets; queued, so that no event's read-then-write straddles it. */
  save(user: string, tags: string[], hiddenTags: string[]): Promise<Preferences> {
    const preferences = { user, tags: distinctTags(tags), hiddenTags: distinctTags(hiddenTags) };
    const event = domainEvent(EVENTS.preferencesUpdated, `preferences:${user}`, preferences, TAGGING_ORIGIN);
    return this.writes.run(async () => {
      await this.preferences.save(preferences, event);
      return preferences;
    });
  }

  /** How the service follows preferences changed elsewhere (run queued). */
  readonly eventHandlers: Partial<Record<EventName, EventHandler>> = {
    [EVENTS.preferencesUpdated]: async (event) => {
      const preferences = event.payload as PreferencesUpdatedPayload;
      // Our own write coming back: already applied when it was made.
      if (
        event.origin === TAGGING_ORIGIN &&
        (await this.preferences.confirmOwnPreferences(preferences.user, event.id))
      ) {
        return false;
      }
      return this.preferences.applyPreferences(preferences, event.position);
    },
  };

  clear(): Promise<void> {
    return this.preferences.clear();
  }
}
