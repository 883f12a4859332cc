import { Injectable } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { DomainEvent, Preferences } from '@app/contracts';
import { InjectDb, Outbox, isDuplicateKeyError } from '@app/data';
import { PREFERENCES_COLLECTION, PreferencesDocument } from './preferences.document';

const PREFERENCE_FIELDS = { _id: 0, user: 1, tags: 1, hiddenTags: 1 } as const;

function preferencesOf(document: PreferencesDocument): Preferences {
  return { user: document.user, tags: document.tags, hiddenTags: document.hiddenTags };
}

@Injectable()
export class PreferencesRepository {
  private readonly preferences: Collection<PreferencesDocument>;

  constructor(
    @InjectDb() db: Db,
    private readonly outbox: Outbox,
  ) {
    this.preferences = db.collection<PreferencesDocument>(PREFERENCES_COLLECTION);
  }

  findByUser(user: string): Promise<Preferences | null> {
    return this.preferences.findOne({ _id: user }, { projection: PREFERENCE_FIELDS });
  }

  /** Creates or replaces a user's preferences together with their change event. */
  async save(preferences: Preferences, event: DomainEvent): Promise<Preferences> {
    let saved = preferences;
    await this.outbox.record(PREFERENCES_COLLECTION, preferences.user, event, async () => {
      try {
        saved = await this.upsert(preferences, event);
      } catch (error) {
        // Two first saves for one user race to insert; the loser finds the winner's document and updates it.
        if (!isDuplicateKeyError(error)) throw error;
        saved = await this.upsert(preferences, event);
      }
      return true;
    });
    return saved;
  }

  /** Stores preferences a service saved while it owned the route, already in the event log. */
  async saveOwned({ user, tags, hiddenTags }: Preferences): Promise<void> {
    try {
      await this.preferences.updateOne({ _id: user }, { $set: { user, tags, hiddenTags } }, { upsert: true });
    } catch (error) {
      // Raced by a first save of the same user: the document exists now.
      if (!isDuplicateKeyError(error)) throw error;
      await this.preferences.updateOne({ _id: user }, { $set: { user, tags, hiddenTags } });
    }
  }

  private async upsert({ user, tags, hiddenTags }: Preferences, event: DomainEvent): Promise<Preferences> {
    // No projection: the store cannot project in findAndModify.
    const saved = await this.preferences.findOneAndUpdate(
      { _id: user },
      { $set: { user, tags, hiddenTags }, $push: { outbox: event } },
      { upsert: true, returnDocument: 'after' },
    );
    return preferencesOf(saved as PreferencesDocument);
  }
}
