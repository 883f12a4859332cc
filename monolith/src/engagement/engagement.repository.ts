import { Injectable, OnModuleInit } from '@nestjs/common';
import { Collection, Db, ObjectId } from 'mongodb';
import { DomainEvent, EngagementKind } from '@app/contracts';
import { InjectDb, Outbox, ensureIndexes, isDuplicateKeyError } from '@app/data';
import { ENGAGEMENTS_COLLECTION, ENGAGEMENT_INDEXES, EngagementDocument } from './engagement.document';

@Injectable()
export class EngagementRepository implements OnModuleInit {
  private readonly engagements: Collection<EngagementDocument>;

  constructor(
    @InjectDb() db: Db,
    private readonly outbox: Outbox,
  ) {
    this.engagements = db.collection<EngagementDocument>(ENGAGEMENTS_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.engagements, ENGAGEMENT_INDEXES);
  }

  /** Inserts the engagement with its event; false when this (post, user, kind) was already recorded. */
  async insert(engagement: EngagementDocument, event: DomainEvent): Promise<boolean> {
    // The relay finds the engagement by `_id`, so it is chosen before the write.
    const _id = new ObjectId();
    await this.outbox.announce(ENGAGEMENTS_COLLECTION, { _id }, event);
    try {
      await this.engagements.insertOne({ _id, ...engagement, outbox: [event] });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** How many engagements of each kind a post has; kinds nobody used are absent. */
  async countsByKind(postId: string): Promise<Map<EngagementKind, number>> {
    const groups = await this.engagements
      .aggregate<{ _id: EngagementKind; count: number }>([
        { $match: { post_id: postId } },
        { $group: { _id: '$kind', count: { $sum: 1 } } },
      ])
      .toArray();
    return new Map(groups.map(({ _id, count }) => [_id, count]));
  }
}
