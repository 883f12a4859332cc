import { Injectable, OnModuleInit } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { DomainEvent, PostStats } from '@app/contracts';
import { InjectDb, Outbox, SerialWrites, ensureIndexes, unlessDuplicateKey } from '@app/data';
import {
  ENGAGEMENTS_COLLECTION,
  ENGAGEMENT_INDEXES,
  EngagementDocument,
  HIDDEN_POSTS_COLLECTION,
  HiddenPostsDocument,
  POST_STATS_COLLECTION,
  PostStatsDocument,
  STATS_FIELD,
} from './engagement.document';

@Injectable()
export class EngagementRepository implements OnModuleInit {
  private readonly engagements: Collection<EngagementDocument>;
  private readonly stats: Collection<PostStatsDocument>;
  private readonly hiddenPosts: Collection<HiddenPostsDocument>;
  /** Stats and hidden posts are updated in place: one update at a time per document keeps them exact. */
  private readonly serial = new SerialWrites();

  constructor(
    @InjectDb() db: Db,
    private readonly outbox: Outbox,
  ) {
    this.engagements = db.collection<EngagementDocument>(ENGAGEMENTS_COLLECTION);
    this.stats = db.collection<PostStatsDocument>(POST_STATS_COLLECTION);
    this.hiddenPosts = db.collection<HiddenPostsDocument>(HIDDEN_POSTS_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.engagements, ENGAGEMENT_INDEXES);
  }

  /**
   * Inserts the engagement with its event, then counts it in the post's stats
   * (and the user's hidden posts); false when this (post, user, kind) was already recorded.
   */
  async insert(engagement: EngagementDocument, event: DomainEvent): Promise<boolean> {
    const inserted = await this.outbox.record(ENGAGEMENTS_COLLECTION, engagement._id, event, () =>
      unlessDuplicateKey(async () => {
        await this.engagements.insertOne({ ...engagement, outbox: [event] });
        return true;
      }),
    );
    if (inserted) await this.count(engagement);
    return inserted;
  }

  /**
   * Records an engagement a service took while it owned the route, already in
   * the event log (so without an event of its own); false when known already.
   */
  async insertOwned(engagement: EngagementDocument): Promise<boolean> {
    const inserted = await unlessDuplicateKey(async () => {
      await this.engagements.insertOne(engagement);
      return true;
    });
    if (inserted) await this.count(engagement);
    return inserted;
  }

  /** Counts a new engagement in the post's stats (and the user's hidden posts). */
  private async count({ post_id, user, kind }: EngagementDocument): Promise<void> {
    await this.serial.run(`stats:${post_id}`, () =>
      this.stats.updateOne({ _id: post_id }, { $inc: { [STATS_FIELD[kind]]: 1 } }, { upsert: true }),
    );
    if (kind === 'hide') {
      await this.serial.run(`hidden:${user}`, () =>
        this.hiddenPosts.updateOne({ _id: user }, { $addToSet: { posts: post_id } }, { upsert: true }),
      );
    }
  }

  /** A post's counts; kinds nobody used count 0. */
  async statsOf(postId: string): Promise<PostStats> {
    const stats = await this.stats.findOne({ _id: postId });
    return { likes: stats?.likes ?? 0, shares: stats?.shares ?? 0, hides: stats?.hides ?? 0 };
  }
}
