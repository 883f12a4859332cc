import { Inject, Injectable } from '@nestjs/common';
import { Db, MongoClient } from 'mongodb';
import {
  EVENTS,
  EngagementRecordedPayload,
  MONOLITH_ORIGIN,
  PostTaggedPayload,
  PreferencesUpdatedPayload,
  RelayedEvent,
} from '@app/contracts';
import { MONGO_CLIENT, isDuplicateKeyError } from '@app/data';
import { SyncConfig } from '../sync.config';

/**
 * Writes owned by a service after a flip, applied back to the monolith's
 * database so that a rollback to the monolith loses nothing. Applied
 * without an outbox event, so nothing echoes back into the stream.
 */
@Injectable()
export class MonolithApplierRepository {
  private readonly db: Db;

  constructor(@Inject(MONGO_CLIENT) client: MongoClient, config: SyncConfig) {
    this.db = client.db(config.MONOLITH_DB);
  }

  /** True when the event changed the monolith's data. */
  async apply(event: RelayedEvent): Promise<boolean> {
    if (event.origin === MONOLITH_ORIGIN) return false;
    switch (event.type) {
      case EVENTS.postTagged: {
        const { id, manual_tags, tags } = event.payload as PostTaggedPayload;
        const result = await this.db.collection('posts').updateOne({ id }, { $set: { manual_tags, tags } });
        return result.modifiedCount > 0;
      }
      case EVENTS.engagementRecorded: {
        const { post_id, user, kind } = event.payload as EngagementRecordedPayload;
        try {
          await this.db.collection('engagements').insertOne({ post_id, user, kind, at: event.at });
          return true;
        } catch (error) {
          if (isDuplicateKeyError(error)) return false;
          throw error;
        }
      }
      case EVENTS.preferencesUpdated: {
        const { user, tags, hiddenTags } = event.payload as PreferencesUpdatedPayload;
        const result = await this.db
          .collection('preferences')
          .updateOne({ user }, { $set: { user, tags, hiddenTags } }, { upsert: true });
        return result.modifiedCount + result.upsertedCount > 0;
      }
      default:
        return false;
    }
  }
}
