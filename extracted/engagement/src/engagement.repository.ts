import { Injectable, OnModuleInit } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { DomainEvent, EngagementKind, EngagementRecordedPayload } from '@app/contracts';
import { InjectDb, Outbox, applyAtPosition, ensureIndexes, unlessDuplicateKey } from '@app/data';
import {
  ENGAGEMENTS_COLLECTION,
  ENGAGEMENT_INDEXES,
  EngagementDocument,
  KNOWN_POSTS_COLLECTION,
  KnownPostDocument,
  engagementId,
} from './engagement.documents';

/** Posts and engagements keyed by `_id`: the embedded store's one look-up without a scan, and the unique key. */
@Injectable()
export class EngagementRepository implements OnModuleInit {
  private readonly posts: Collection<KnownPostDocument>;
  private readonly engagements: Collection<EngagementDocument>;

  constructor(
    @InjectDb() db: Db,
    private readonly outbox: Outbox,
  ) {
    this.posts = db.collection<KnownPostDocument>(KNOWN_POSTS_COLLECTION);
    this.engagements = db.collection<EngagementDocument>(ENGAGEMENTS_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.engagements, ENGAGEMENT_INDEXES);
  }

  async postExists(id: string): Promise<boolean> {
    return (await this.posts.countDocuments({ _id: id }, { limit: 1 })) > 0;
  }

  /** Records an engagement with its event; false when this (post, user, kind) was recorded before. */
  async record(engagement: EngagementRecordedPayload, event: DomainEvent): Promise<boolean> {
    const _id = engagementId(engagement.post_id, engagement.user, engagement.kind);
    return this.outbox.record(ENGAGEMENTS_COLLECTION, _id, event, () =>
      this.insert({ _id, ...engagement, at: event.at, outbox: [event] }),
    );
  }

  /** Stores an engagement recorded elsewhere; false when it is stored already. */
  applyEngagement(engagement: EngagementRecordedPayload, at: number): Promise<boolean> {
    const _id = engagementId(engagement.post_id, engagement.user, engagement.kind);
    return this.insert({ _id, ...engagement, at });
  }

  /** Notes that a post exists, as of stream `position`; false when that event or a later one was applied. */
  applyPost(id: string, position: number): Promise<boolean> {
    return applyAtPosition(this.posts, id, position, { id }, { upsert: true });
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

  async clear(): Promise<void> {
    await Promise.all([this.posts.deleteMany({}), this.engagements.deleteMany({})]);
  }

  private insert(engagement: EngagementDocument): Promise<boolean> {
    return unlessDuplicateKey(async () => {
      await this.engagements.insertOne(engagement);
      return true;
    });
  }
}
