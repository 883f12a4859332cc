import { Injectable } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { DomainEvent, EngagementRecordedPayload } from '@app/contracts';
import { InjectDb, Outbox, applyEachAtPosition, unlessDuplicateKey } from '@app/data';
import {
  ENGAGEMENTS_COLLECTION,
  EngagementDocument,
  KNOWN_POSTS_COLLECTION,
  KnownPostDocument,
  engagementId,
} from './engagement.documents';

/** Posts and engagements keyed by `_id`: the embedded store's one look-up without a scan, and the unique key. */
@Injectable()
export class EngagementRepository {
  private readonly posts: Collection<KnownPostDocument>;
  private readonly engagements: Collection<EngagementDocument>;

  constructor(
    @InjectDb() db: Db,
    private readonly outbox: Outbox,
  ) {
    this.posts = db.collection<KnownPostDocument>(KNOWN_POSTS_COLLECTION);
    this.engagements = db.collection<EngagementDocument>(ENGAGEMENTS_COLLECTION);
  }

  /** Ids of every known post, read once at start. */
  async *postIds(): AsyncIterable<string> {
    for await (const { id } of this.posts.find({}, { projection: { _id: 0, id: 1 } })) yield id;
  }

  /** What each stored engagement counts for, read once at start. */
  all(): AsyncIterable<Pick<EngagementDocument, 'post_id' | 'kind'>> {
    return this.engagements.find({}, { projection: { _id: 0, post_id: 1, kind: 1 } });
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
  applyPosts(posts: readonly { id: string; position: number }[]): Promise<boolean[]> {
    return applyEachAtPosition(
      this.posts,
      posts.map(({ id, position }) => ({ _id: id, position, state: { id } })),
    );
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
