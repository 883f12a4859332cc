import { Injectable } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { DomainEvent, Preferences } from '@app/contracts';
import { InjectDb, Outbox, applyAtPosition } from '@app/data';
import { confirmOwnEvent, recordOwnEvent } from './own-events';
import { PREFERENCES_COLLECTION, PreferencesDocument } from './tagging.documents';

const PREFERENCE_FIELDS = { _id: 0, user: 1, tags: 1, hiddenTags: 1 } as const;

/** Preferences keyed by user name in `_id`, the store's one look-up without a scan. */
@Injectable()
export class PreferencesRepository {
  private readonly preferences: Collection<PreferencesDocument>;

  constructor(
    @InjectDb() db: Db,
    private readonly outbox: Outbox,
  ) {
    this.preferences = db.collection<PreferencesDocument>(PREFERENCES_COLLECTION);
  }

  /** Every user's preferences, read once at start. */
  all(): AsyncIterable<Preferences> {
    return this.preferences.find<Preferences>({}, { projection: PREFERENCE_FIELDS });
  }

  /** Creates or replaces a user's preferences together with their change event. */
  async save(preferences: Preferences, event: DomainEvent): Promise<void> {
    await this.outbox.record(PREFERENCES_COLLECTION, preferences.user, event, async () => {
      await this.preferences.updateOne(
        { _id: preferences.user },
        { $set: preferences, ...recordOwnEvent(event) },
        { upsert: true },
      );
      return true;
    });
  }

  /** Stores a user's preferences as of stream `position`; false when that event or a later one was applied. */
  applyPreferences(preferences: Preferences, position: number): Promise<boolean> {
    return applyAtPosition(this.preferences, preferences.user, position, preferences, { upsert: true });
  }

  confirmOwnPreferences(user: string, eventId: string): Promise<boolean> {
    return confirmOwnEvent(this.preferences, user, eventId);
  }

  async clear(): Promise<void> {
    await this.preferences.deleteMany({});
  }
}
